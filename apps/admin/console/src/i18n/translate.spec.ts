import { EN, type MessageKey } from './messages-en';
import { ZH } from './messages-zh';
import { translator } from './translate';

/** The placeholders of a message, plural ones included, sorted. */
function placeholders(text: string): string[] {
  const names = new Set<string>();
  for (const [, name] of text.matchAll(/\{(\w+)(?:, plural,|\})/g)) names.add(name);
  return [...names].sort();
}

describe('console messages', () => {
  it('agree in number in English: one node, 2 nodes', () => {
    const t = translator('en');
    expect(t('delete.nodes', { count: 1 })).toBe(
      'This node holds it now and will be moved to another group:',
    );
    expect(t('delete.nodes', { count: 2 })).toBe(
      'These 2 nodes hold it now and will be moved to other groups:',
    );
    expect(t('nodes.summary', { nodes: 1, behind: 0 })).toBe('1 node, 0 behind the latest version');
    expect(t('nodes.summary', { nodes: 0, behind: 0 })).toBe(
      '0 nodes, 0 behind the latest version',
    );
    expect(t('delete.sharedNodes', { count: 1 })).toContain('1 node uses it');
    expect(t('groups.count', { count: 1 })).toBe('1 group');
    expect(t('editor.valid', { count: 1 })).toBe('Valid JSON object with 1 key.');
    expect(t('audit.count', { count: 1 })).toBe('1 entry');
    expect(t('transfer.apply', { count: 1 })).toBe('Apply 1 selected group');
    expect(t('diff.skipped', { count: 16 })).toBe('16 unchanged lines');
  });

  it('say one node in Chinese as "this node", and several with their number', () => {
    const t = translator('zh-CN');
    expect(t('delete.nodes', { count: 1 })).toBe('这个节点正在使用它，将被迁移到其他配置组：');
    expect(t('delete.nodes', { count: 3 })).toBe('以下 3 个节点正在使用它，将被迁移到其他配置组：');
    expect(t('diff.skipped', { count: 2 })).toBe('2 行未改动');
  });

  it('have the same keys and placeholders in English and Chinese', () => {
    expect(Object.keys(ZH).sort()).toEqual(Object.keys(EN).sort());
    for (const key of Object.keys(EN) as MessageKey[]) {
      expect({ key, names: placeholders(ZH[key]) }).toEqual({ key, names: placeholders(EN[key]) });
    }
  });

  it('leave a plural form whose number is not given as it is', () => {
    expect(translator('en')('groups.count')).toBe(EN['groups.count']);
  });
});
