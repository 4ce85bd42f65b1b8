/**
 * The digests the periodic check compares (DESIGN §16: O(1) per check, whatever the group size).
 *
 * `{ns}:digests`: group → `<SHA-1 of its stored JSON> <Redis ms>`, the time the digest was last
 * known to match the record: written by every script that writes a record (`store_digest`),
 * removed with the group. A check (`checked_digest`) trusts an entry younger than `verify_ms` (the
 * checking node's refresh) and otherwise hashes the record once and stamps it again: a write that
 * went round our scripts (the old project's plain HSET or HDEL, a MULTI) is seen within about one
 * refresh, and the hashing costs O(groups × bytes / refresh) shared by all nodes, not
 * O(nodes × bytes). The digest is the one a node computes of what it applied.
 */
export const GROUP_DIGEST_LUA = `
local function store_digest(digests_key, name, digest, now)
  redis.call('HSET', digests_key, name, digest .. ' ' .. string.format('%d', now))
end

local function checked_digest(groups_key, digests_key, name, now, verify_ms)
  local entry = redis.call('HGET', digests_key, name)
  if entry and now - (tonumber(string.sub(entry, 42)) or 0) < verify_ms then
    return string.sub(entry, 1, 40)
  end
  local raw = redis.call('HGET', groups_key, name)
  if not raw then
    if entry then redis.call('HDEL', digests_key, name) end
    return false
  end
  local digest = redis.sha1hex(raw)
  store_digest(digests_key, name, digest, now)
  return digest
end
`;
