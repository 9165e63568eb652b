import type { Connection, Model, mongo } from 'mongoose';

/**
 * A model's collection as the driver has it, for hot paths: no casting, no validation, no
 * hooks, one command each. Writes through it give every field its stored type themselves.
 */
export function driverCollection<T extends mongo.Document>(conn: Connection, model: Model<T>): mongo.Collection<T> {
  if (!conn.db) throw new Error('the MongoDB connection is not open');
  return conn.db.collection<T>(model.collection.collectionName);
}
