import mongoose from 'mongoose';
import { ConcurrencyError } from '../../domain/shared/domain-error';
import {
  PersistenceUnavailableError,
  isDuplicateKeyError,
  translateMongoError,
} from '../../infrastructure/mongo/mongo-errors';

const { mongo } = mongoose;

function translated(error: unknown): unknown {
  try {
    translateMongoError(error);
  } catch (thrown) {
    return thrown;
  }
  throw new Error('translateMongoError returned');
}

describe('translateMongoError', () => {
  it.each([
    ['network error', new mongo.MongoNetworkError('connection 3 to 127.0.0.1:1 closed')],
    ['network timeout', new mongo.MongoNetworkTimeoutError('timed out')],
    ['not connected', new mongo.MongoNotConnectedError('Client must be connected before running operations')],
    ['topology closed', new mongo.MongoTopologyClosedError()],
    [
      'before initial connection',
      new mongoose.Error('Cannot call `users.findOne()` before initial connection is complete if `bufferCommands = false`.'),
    ],
    ['server shutting down', new mongo.MongoServerError({ message: 'shutdown in progress', code: 91 })],
    ['time limit', new mongo.MongoServerError({ message: 'operation exceeded time limit', code: 50 })],
    ['mongoose server selection', new mongoose.Error.MongooseServerSelectionError('Server selection timed out')],
    [
      'closed pool (known by name only)',
      Object.defineProperty(new mongo.MongoDriverError('pool closed'), 'name', { value: 'MongoPoolClosedError' }),
    ],
    ['wrapped network error', new mongo.MongoDriverError('failed', { cause: new mongo.MongoNetworkError('reset') })],
  ])('turns a %s into PersistenceUnavailableError, keeping the cause', (_label, error) => {
    const result = translated(error);
    expect(result).toBeInstanceOf(PersistenceUnavailableError);
    expect((result as Error).cause).toBe(error);
  });

  it('rethrows anything else unchanged', () => {
    const duplicate = new mongo.MongoServerError({ message: 'E11000 duplicate key error', code: 11000 });
    const domain = new ConcurrencyError('PersonalUser', 'x');
    const bug = new TypeError('x is undefined');
    for (const error of [duplicate, domain, bug, 'a string']) expect(translated(error)).toBe(error);
    expect(isDuplicateKeyError(duplicate)).toBe(true);
  });
});
