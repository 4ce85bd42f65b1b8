/**
 * Lua helper shared by the write scripts: the version of a stored group JSON.
 * -1 when absent; -2 when present but unreadable (written by someone else, broken):
 * a create must not overwrite it, an update replaces it with version 0.
 */
export const CURRENT_VERSION_LUA = `
local function current_version(raw)
  if not raw then return -1 end
  local ok, decoded = pcall(cjson.decode, raw)
  if ok and type(decoded) == 'table' and type(decoded.group_version) == 'number' then
    return decoded.group_version
  end
  return -2
end
local function next_version(current)
  if current < 0 then return 0 end
  return current + 1
end
`;
