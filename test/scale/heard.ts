import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupService, RedisConfigModuleOptions } from '@rcc/redis-config';
import { RedisConfigConnection } from '@rcc/redis-config/connection/redis-config-connection';
import { startNode } from '../helpers/config-node';

/** One message as Redis delivered it to a node's subscriber connection. */
export interface HeardMessage {
  channel: string;
  message: string;
  /** The `group` member of the message, when it has one. */
  group: string | null;
  type: string | null;
}

/** A node and every pub/sub message its own subscriber connection received (from its start). */
export interface ListeningNode {
  id: string;
  app: INestApplicationContext;
  config: ConfigGroupService;
  heard: HeardMessage[];
}

/** Starts a node and records what Redis sends its subscriber: the fan-out a test can see. */
export async function startListeningNode(
  options: RedisConfigModuleOptions,
): Promise<ListeningNode> {
  const { app, config } = await startNode(options);
  const heard: HeardMessage[] = [];
  const subscriber = app.get(RedisConfigConnection).subscriber;
  const record = (channel: string, message: string) => {
    let group: string | null = null;
    let type: string | null = null;
    try {
      const parsed = JSON.parse(message) as { group?: unknown; type?: unknown };
      group = typeof parsed.group === 'string' ? parsed.group : null;
      type = typeof parsed.type === 'string' ? parsed.type : null;
    } catch {
      // not JSON: kept as is
    }
    heard.push({ channel, message, group, type });
  };
  subscriber.on('message', record);
  subscriber.on('smessage', record);
  return { id: String(options.nodeId), app, config, heard };
}

/** The messages heard after `from` (an index into `heard`). */
export const heardSince = (node: ListeningNode, from: number): HeardMessage[] =>
  node.heard.slice(from);
