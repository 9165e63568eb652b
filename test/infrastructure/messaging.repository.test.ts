import type { Connection } from 'mongoose';
import { conversationIdBetween, Message } from '../../domain/messaging/message.aggregate';
import { newEntityId } from '../../domain/shared/entity-id';
import { closeMongo } from '../../infrastructure/mongo/connection';
import { MongoMessagingRepository } from '../../infrastructure/mongo/repositories/messaging.repository';
import { connectTestMongo, walkPages as walk } from './mongo-fixtures';

let conn: Connection;
let messaging: MongoMessagingRepository;

beforeAll(async () => {
  conn = await connectTestMongo();
  messaging = new MongoMessagingRepository(conn);
});
afterAll(() => closeMongo(conn));

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute));

function message(senderId: string, recipientId: string, sentAt: Date, text = 'Hello'): Message {
  return Message.rehydrate({
    id: newEntityId(sentAt),
    conversationId: conversationIdBetween(senderId, recipientId),
    senderId,
    recipientId,
    text,
    sentAt,
  });
}

describe('MongoMessagingRepository', () => {
  it('stores a message and creates the conversation of the sorted pair', async () => {
    const [a, b] = [newEntityId(), newEntityId()];
    const sent = message(b, a, at(1), 'Hi there');
    await messaging.insertMessage(sent);

    const conversation = await messaging.findConversation(sent.conversationId);
    expect(conversation).toEqual({
      id: sent.conversationId,
      participantIds: [a, b].sort(),
      createdAt: at(1),
      lastMessageAt: at(1),
    });
    const page = await messaging.listMessages(sent.conversationId, { first: 10 });
    expect(page.hasNextPage).toBe(false);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toBeInstanceOf(Message);
    expect({ ...page.items[0] }).toEqual({ ...sent });
    expect(await messaging.findConversation(newEntityId())).toBeNull();
  });

  it('moves lastMessageAt forward only, and keeps the earliest createdAt', async () => {
    const [a, b] = [newEntityId(), newEntityId()];
    await messaging.insertMessage(message(a, b, at(5)));
    await messaging.insertMessage(message(b, a, at(9)));
    await messaging.insertMessage(message(a, b, at(3))); // delivered late
    const conversation = await messaging.findConversation(conversationIdBetween(a, b));
    expect(conversation).toMatchObject({ createdAt: at(3), lastMessageAt: at(9) });
  });

  it('makes one conversation when both members write first at once', async () => {
    const [a, b] = [newEntityId(), newEntityId()];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => messaging.insertMessage(i % 2 ? message(a, b, at(i)) : message(b, a, at(i)))),
    );
    const { items } = await walk((page) => messaging.listConversations(a, page), 10);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ lastMessageAt: at(9), createdAt: at(0) });
    expect((await walk((page) => messaging.listMessages(conversationIdBetween(a, b), page), 3)).items).toHaveLength(10);
  });

  it('pages messages newest first over more than two pages, ties broken by id', async () => {
    const [a, b] = [newEntityId(), newEntityId()];
    const minutes = [1, 1, 1, 2, 3, 3, 4, 4, 4, 4];
    const sent = minutes.map((minute, i) => (i % 2 ? message(a, b, at(minute)) : message(b, a, at(minute))));
    for (const item of sent) await messaging.insertMessage(item);
    const expected = [...sent].sort((x, y) => y.sentAt.getTime() - x.sentAt.getTime() || (x.id < y.id ? 1 : -1));

    const { items, pages } = await walk((page) => messaging.listMessages(conversationIdBetween(a, b), page), 3);
    expect(pages).toBe(4);
    expect(items.map((item) => item.id)).toEqual(expected.map((item) => item.id));
  });

  it('lists a member\'s conversations most recently active first, over pages', async () => {
    const me = newEntityId();
    const others = Array.from({ length: 7 }, () => newEntityId());
    // Minutes 1, 1, 2, 2, 3, 3, 4: ties in lastMessageAt.
    for (const [i, other] of others.entries()) await messaging.insertMessage(message(other, me, at(Math.floor(i / 2) + 1)));
    await messaging.insertMessage(message(newEntityId(), newEntityId(), at(50))); // not mine

    const { items, pages } = await walk((page) => messaging.listConversations(me, page), 2);
    expect(pages).toBe(4);
    expect(items).toHaveLength(7);
    expect(items.every((item) => item.participantIds.includes(me))).toBe(true);
    const keys = items.map((item) => [item.lastMessageAt.getTime(), item.id] as const);
    const sorted = [...keys].sort((x, y) => y[0] - x[0] || (x[1] < y[1] ? 1 : -1));
    expect(keys).toEqual(sorted);
  });

  it('refuses a malformed cursor with PAGE.BAD_CURSOR', async () => {
    await expect(messaging.listConversations(newEntityId(), { first: 2, after: '%%%' })).rejects.toMatchObject({
      code: 'PAGE.BAD_CURSOR',
      field: 'after',
    });
    await expect(messaging.listMessages(newEntityId(), { first: 2, after: 'abc' })).rejects.toMatchObject({
      code: 'PAGE.BAD_CURSOR',
    });
  });
});
