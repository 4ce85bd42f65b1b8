import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { TokenHolder } from './admin-token-registry';

/**
 * Who sent a message pattern, as the bearer guard found its `token`, by the message's transport
 * context (one per message; the payload itself is rebuilt by the validation pipe).
 */
const holders = new WeakMap<object, TokenHolder>();

export function rememberMessageHolder(context: object, holder: TokenHolder): void {
  holders.set(context, holder);
}

/** Who sent the message of this transport context, once the guard knew its token. */
export function messageHolderOf(context: object): TokenHolder | null {
  return holders.get(context) ?? null;
}

/** The label and role of the token a message pattern carried (the guard let it through). */
export const MessageHolder = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TokenHolder => {
    const holder = holders.get(context.switchToRpc().getContext<object>());
    // Unreachable past the guard; never a wider role by accident.
    return holder ?? { label: 'unknown', role: 'reader' };
  },
);
