import { chooseCanaries } from './canary-choice';

describe('chooseCanaries', () => {
  const holders = ['n1', 'n2', 'n3'];

  it('takes floor(percent × holders), at least one', () => {
    expect(chooseCanaries('r1', holders, 34)).toHaveLength(1);
    expect(chooseCanaries('r1', holders, 1)).toHaveLength(1);
    expect(chooseCanaries('r1', holders, 67)).toHaveLength(2);
    expect(chooseCanaries('r1', holders, 100)).toEqual(['n1', 'n2', 'n3']);
    expect(chooseCanaries('r1', [], 50)).toEqual([]);
  });

  it('keeps the nodes chosen before and only adds at a later step', () => {
    const many = Array.from({ length: 20 }, (_, i) => `node-${i}`);
    const first = chooseCanaries('r2', many, 10);
    const second = chooseCanaries('r2', many, 50, first);
    expect(second).toHaveLength(10);
    expect(second).toEqual(expect.arrayContaining(first));
  });

  it('is the same choice for the same rollout and holders, whatever their order', () => {
    const many = Array.from({ length: 30 }, (_, i) => `node-${i}`);
    expect(chooseCanaries('r3', many, 20)).toEqual(chooseCanaries('r3', [...many].reverse(), 20));
  });

  it('drops chosen nodes that no longer hold the group', () => {
    expect(chooseCanaries('r4', ['a', 'b'], 50, ['gone'])).toHaveLength(1);
    expect(chooseCanaries('r4', ['a', 'b'], 50, ['gone'])).not.toContain('gone');
  });
});
