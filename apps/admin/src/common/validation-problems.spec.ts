import { BadRequestException } from '@nestjs/common';
import { CreateGroupDto } from '../groups/dto/create-group.dto';
import { ReplaceGroupDto } from '../groups/dto/replace-group.dto';
import { adminValidationPipe } from './validation-problems';

describe('adminValidationPipe', () => {
  const pipe = adminValidationPipe();
  const body = (metatype: new () => object) => ({ type: 'body' as const, metatype });

  async function problems(value: unknown, metatype: new () => object = CreateGroupDto) {
    try {
      await pipe.transform(value, body(metatype));
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      return (error as BadRequestException).getResponse() as { problems: unknown[] };
    }
    throw new Error('expected a 400');
  }

  it('hands over the config object as parsed, prototype-named keys and all', async () => {
    const input = JSON.parse(
      '{"name":"g","config":{"__proto__":{"x":1},"constructor":{"prototype":{"y":2}},"prototype":3}}',
    ) as { config: object };
    const dto = (await pipe.transform(input, body(CreateGroupDto))) as CreateGroupDto;
    expect(dto).toBeInstanceOf(CreateGroupDto);
    expect(dto.config).toBe(input.config);
    expect(Object.keys(dto.config)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses prototype-named fields of the body itself', async () => {
    const response = await problems(JSON.parse('{"__proto__":{"a":1},"name":"g","config":{}}'));
    expect(response.problems).toEqual([{ field: '__proto__', message: 'is not an allowed field' }]);
  });

  it('reports the config problem together with the other fields', async () => {
    const response = await problems({ name: '', config: 'x', comment: 5 });
    expect(response.problems).toEqual([
      { field: 'name', message: 'must not be empty' },
      { field: 'comment', message: 'must be a string' },
      { field: 'config', message: 'must be a JSON object' },
    ]);
  });

  it('treats a missing body as {} and a non-object body as one problem', async () => {
    expect((await problems(undefined, ReplaceGroupDto)).problems).toEqual([
      { field: 'config', message: 'must be a JSON object' },
    ]);
    expect((await problems('text')).problems).toEqual([
      { field: 'body', message: 'must be a JSON object' },
    ]);
  });

  it('leaves the input untouched while validating', async () => {
    const input = { name: 'g', config: { nested: { constructor: 1 } }, extra: true };
    const before = JSON.stringify(input);
    await problems(input);
    expect(JSON.stringify(input)).toBe(before);
  });
});
