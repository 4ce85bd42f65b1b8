import Redis from 'ioredis';
import { AssignmentScripts } from '../libs/redis-config/src/assignment/assignment-scripts';
import { ConfigKeys } from '../libs/redis-config/src/wire/config-keys';
import { withScripts } from '../libs/redis-config/src/wire/redis-scripts';
import { LEASE_COMMON_LUA } from '../libs/redis-config/src/wire/lua/lease-common.lua';
import { NODE_CHECK_LUA } from '../libs/redis-config/src/wire/lua/node-tick.lua';
import { HEARTBEAT_LUA } from '../libs/redis-config/src/wire/lua/heartbeat.lua';
import { RedisServer } from '../test/helpers/redis-server';
import { parseCommandStats, parseInfo } from './lib/bench-redis';
async function main() {
  const redis = await RedisServer.start({ extraArgs: ['--maxclients', '1000'] });
  const c = withScripts(new Redis({ port: redis.port }));
  const keys = new ConfigKeys('rcc::config::redis_config_center');
  const cfg: Record<string,string> = {}; for (let i=0; JSON.stringify(cfg).length<1000; i++) cfg['key_'+i]='value-'+i;
  for (let i=0;i<1000;i++) await c.hset(keys.groups, 'g'+i, JSON.stringify({group_name:'g'+i,group_version:1,config_dict:cfg}));
  const s = new AssignmentScripts(c, keys, 600000);
  const N = Number(process.env.N ?? 10000);
  const rep = (id: string) => ({ id, address: '10.0.0.1', requestedGroup: 'g1', group: 'g1', version: 1, holding: 'pinned' as const, shared: [], appliedAtMs: 1796000000000 });
  for (let i=0;i<N;i++) await s.assign({ nodeId: 'bench-node-'+i+'/10.42.0.1/1', requested: 'g'+(i%1000), mode: 'place', capacity: 0, pool: [] }, rep('n'+i));
  const id = (i: number) => 'bench-node-'+(i%N)+'/10.42.0.1/1';
  const lk = [keys.groups, keys.nodes, keys.nodeInfo, keys.holders, keys.holderCounts];
  const variants: Record<string,string> = {
    full: HEARTBEAT_LUA,
    noCheck: HEARTBEAT_LUA.replace("node_check(6, 5)", "false"),
    noPurge: HEARTBEAT_LUA,
    noNextExpiry: HEARTBEAT_LUA.replace("local first = redis.call('ZRANGE', KEYS[2], 0, 1, 'WITHSCORES')", "local first = {}"),
    onlyDefs: `${LEASE_COMMON_LUA}${NODE_CHECK_LUA}\nreturn 1`,
    empty: `return 1`,
    onlyCheck: `${NODE_CHECK_LUA}\nreturn node_check(6, 5)`,
  };
  const shas: Record<string,string> = {};
  for (const [k, v] of Object.entries(variants)) shas[k] = await c.script('LOAD', v) as string;
  const cpu = async () => { const i = parseInfo(await c.info('cpu')); return ((i.get('used_cpu_user') ?? 0) + (i.get('used_cpu_sys') ?? 0)) * 1e6; };
  for (let r=0;r<2;r++) for (const k of Object.keys(variants)) {
    const f = (i: number) => c.evalsha(shas[k], 6, ...lk, keys.rollout('g1'), id(i), 600000, keys.events, '', 'g'+(i%1000), 'g'+(i%1000));
    for (let i=0;i<300;i++) await f(i);
    await c.config('RESETSTAT');
    const M = 5000; const c0 = await cpu();
    const P = 50;
    for (let i=0;i<M;i+=P) await Promise.all(Array.from({length: P}, (_, j) => f(i+j)));
    const c1 = await cpu();
    const st = parseCommandStats(await c.info('commandstats')).get('evalsha')!;
    console.log(k.padEnd(14), `script ${(st.usec/M).toFixed(1)} µs, process ${((c1-c0)/M).toFixed(1)} µs per call`);
  }
  c.disconnect(); await redis.dispose();
}
void main();
