import { PubSub } from 'graphql-subscriptions';
import { channelsFor } from '../../infrastructure/events/channels';
import type { AccountStatusSignal } from '../../infrastructure/events/event-codec';
import { PubSubEventPublisher } from '../../infrastructure/events/pubsub-event-publisher';
import { blockCommand, memberAggregate } from '../domain/fakes/builders';
import { FakeClock } from '../domain/fakes/fake-clock';

// graphql-subscriptions' own in-process engine stands in for Redis: what is checked is the
// publisher's order of work, not the transport.
const channels = channelsFor('publisher-test:');

function blockedEvents() {
  const user = memberAggregate(new FakeClock('2030-01-01T00:00:00.000Z'));
  user.block(blockCommand());
  return user.newEvents;
}

test('an account-status signal goes to the channel and, once the channel took it, to this instance at once', async () => {
  const pubsub = new PubSub();
  const heard: unknown[] = [];
  await pubsub.subscribe(channels.accountStatus, (raw) => heard.push(raw));
  const publisher = new PubSubEventPublisher(pubsub, channels);
  const local: AccountStatusSignal[] = [];
  publisher.deliverLocallyTo((signal) => local.push(signal));

  const events = blockedEvents();
  await publisher.publish(events);

  expect(local).toHaveLength(1);
  expect(local[0]).toMatchObject({ eventId: events[0]!.id, type: 'user.blocked', status: { state: 'BLOCKED' } });
  expect(heard).toEqual(local);
});

test("a signal is acted on here once handed to the channel, without waiting for the channel's answer", async () => {
  const pubsub = new PubSub();
  const order: string[] = [];
  let answer = () => {};
  pubsub.publish = () => {
    order.push('handed to the channel');
    return new Promise<void>((resolve) => (answer = resolve));
  };
  const publisher = new PubSubEventPublisher(pubsub, channels);
  publisher.deliverLocallyTo(() => order.push('acted on here'));

  const publishing = publisher.publish(blockedEvents());
  await new Promise((resolve) => setImmediate(resolve));
  expect(order).toEqual(['handed to the channel', 'acted on here']);
  answer();
  await publishing;
});

test('a signal the channel refused is still acted on here, and the publish fails so the outbox keeps it for the relay', async () => {
  const pubsub = new PubSub();
  pubsub.publish = () => Promise.reject(new Error('Redis is down'));
  const publisher = new PubSubEventPublisher(pubsub, channels);
  const local: AccountStatusSignal[] = [];
  publisher.deliverLocallyTo((signal) => local.push(signal));

  const events = blockedEvents();
  await expect(publisher.publish(events)).rejects.toThrow('Redis is down');
  expect(local.map((signal) => signal.eventId)).toEqual([events[0]!.id]);
});
