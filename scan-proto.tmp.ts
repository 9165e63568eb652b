import { mongo } from 'mongoose';
import { startFerretDb } from './infrastructure/services/ferretdb-server';
const TYPES = ['USER_BLOCKED','USER_UNBLOCKED','BLOCK_EXPIRED','AUTOMATED_BLOCK','FORCE_DISCONNECT','APPEAL_FILED','APPEAL_DECIDED','ACTION_REFUSED','CONNECTION_REFUSED','ADMIN_OPERATION_REFUSED','RATE_LIMITED'];
async function main() {
  const server = await startFerretDb();
  const client = new mongo.MongoClient(server.uri + 'bench');
  try {
    const col = client.db().collection<any>('audit');
    const users = Array.from({ length: 1000 }, (_, i) => i.toString(16).padStart(24, '0'));
    const start = Date.now() - 90 * 86400000;
    let t = Date.now();
    const N = 100_000;
    for (let b = 0; b < N; b += 5000) {
      const docs = [];
      for (let i = b; i < b + 5000; i++) {
        const at = new Date(start + Math.floor((i / N) * 90 * 86400000));
        docs.push({ _id: (Math.floor(at.getTime()/1000)).toString(16).padStart(8,'0') + i.toString(16).padStart(16, '0'), type: TYPES[i % TYPES.length], actorId: users[(i * 7) % 1000], targetId: users[(i * 13) % 1000], reason: 'some reason text here', at, instance: 'bench', correlationId: 'c-' + i, details: { action: 'SEND_MESSAGE', reason: 'LATE_RETURN' } });
      }
      await col.insertMany(docs, { ordered: false });
    }
    console.log('insert', Date.now() - t);
    for (const idx of [{ targetId: 1, at: -1, _id: -1 }, { actorId: 1, at: -1, _id: -1 }, { type: 1, at: -1, _id: -1 }, { at: -1, _id: -1 }]) await col.createIndex(idx as any);
    const time = async (name: string, f: () => Promise<unknown>) => { const t0 = performance.now(); await f(); const t1 = performance.now(); await f(); console.log(name, (t1 - t0).toFixed(1), (performance.now() - t1).toFixed(1)); };
    await time('none', () => col.find({}).sort({ at: -1, _id: -1 }).limit(51).toArray());
    await time('nosort', () => col.find({}).limit(51).toArray());
    await time('user', () => col.find({ $or: [{ actorId: users[5] }, { targetId: users[5] }] }).sort({ at: -1, _id: -1 }).limit(51).toArray());
    await time('target eq', () => col.find({ targetId: users[5] }).sort({ at: -1, _id: -1 }).limit(51).toArray());
    await time('target eq nosort', () => col.find({ targetId: users[5] }).limit(51).toArray());
    await time('id eq', () => col.find({ _id: 'x' }).toArray());
    await time('count', () => col.countDocuments({}));
    console.log(JSON.stringify(await col.find({ targetId: users[5] }).sort({ at: -1 }).limit(51).explain()).slice(0, 1500));
  } finally {
    await client.close();
    await server.dispose();
  }
}
main();
