/**
 * A node's pool in Lua, the twin of `globsMatcher` (utils/glob.ts) and of `PoolSpec`: the node
 * sends its globs and excluded groups, not a list of groups, so a placement reads no group list.
 *
 * `read_pool(first)` reads, from ARGV[first]: the number of globs (0 = every group), the globs, the
 * number of excluded groups, those groups; it returns `in_pool(name)` (existence not checked).
 */
export const POOL_MATCH_LUA = `
-- Bytes of the UTF-8 character that starts with byte b (1 for a stray continuation byte).
local function char_len(b)
  if b < 192 then return 1 elseif b < 224 then return 2 elseif b < 240 then return 3 end
  return 4
end

local function same_char(a, i, b, j, len)
  for k = 0, len - 1 do
    if string.byte(a, i + k) ~= string.byte(b, j + k) then return false end
  end
  return true
end

-- * any run, ? one character; the linear two-pointer walk (no pattern can make it slow).
local function glob_matches(glob, name)
  local g, n, star, resume = 1, 1, nil, 1
  local glen, nlen = #glob, #name
  while n <= nlen do
    local gb = g <= glen and string.byte(glob, g) or nil
    local len = char_len(string.byte(name, n))
    if gb == 42 then
      star, resume, g = g, n, g + 1
    elseif gb == 63 then
      g, n = g + 1, n + len
    elseif gb and char_len(gb) == len and same_char(glob, g, name, n, len) then
      g, n = g + len, n + len
    elseif star then
      resume = resume + char_len(string.byte(name, resume))
      g, n = star + 1, resume
    else
      return false
    end
  end
  while g <= glen and string.byte(glob, g) == 42 do g = g + 1 end
  return g > glen
end

local function read_pool(first)
  local globs, excluded = {}, {}
  local count = tonumber(ARGV[first])
  for i = 1, count do globs[i] = ARGV[first + i] end
  local at = first + count + 1
  for i = 1, tonumber(ARGV[at]) do excluded[ARGV[at + i]] = true end
  return function(name)
    if excluded[name] then return false end
    if count == 0 then return true end
    for i = 1, count do
      if glob_matches(globs[i], name) then return true end
    end
    return false
  end
end
`;
