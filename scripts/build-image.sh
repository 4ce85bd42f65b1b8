#!/usr/bin/env bash
# `npm run image:build`: builds the committed Dockerfile, unchanged, with buildah (no Docker engine
# needed) into the local image redis-config-center:local. Idempotent: the stand-in base image is made
# once and kept, and buildah's layer cache makes a rebuild of unchanged sources quick.
#
# The Dockerfile's base, node:20-bookworm-slim, cannot be pulled here (no registry but npm's), so a
# stand-in of the same name is made from Debian: debootstrap --variant=minbase bookworm, this
# machine's Node 20 (binary and npm, under /usr/local like the official image), a `node` user
# (uid 1000) and this machine's CA bundle as NODE_EXTRA_CA_CERTS (npm ci in the build must trust
# the registry's certificate as this machine does). A real Docker build pulls the real base.
#
# Needs root (debootstrap, buildah's chroot isolation); installs buildah and debootstrap with
# apt-get when they are missing, and fails loudly when it cannot.
#   RCC_IMAGE       the image to build (default redis-config-center:local)
#   RCC_BASE_REBUILD=1  makes the stand-in base again even when present
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${RCC_IMAGE:-redis-config-center:local}"
# What the Dockerfile's FROM resolves to (a short name means docker.io/library/...).
BASE_SHORT="$(sed -n 's/^FROM[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' Dockerfile | head -n 1)"
BASE="docker.io/library/${BASE_SHORT}"
ISOLATION=chroot

log() { echo "image: $*" >&2; }
die() {
  echo "image: FAILED: $*" >&2
  exit 1
}
now() { date +%s; }

[ "$(id -u)" = 0 ] || die "run as root (debootstrap and buildah's chroot isolation need it)"
[ -n "$BASE_SHORT" ] || die "no FROM line found in Dockerfile"

# ---- tools ----
missing=()
command -v buildah >/dev/null 2>&1 || missing+=(buildah)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
    die "apt-get install ${missing[*]} failed"
fi
for tool in buildah debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is still missing after apt-get install"
done

# ---- the stand-in base ----
make_base() {
  local node_bin npm_dir ca_bundle ctr mnt
  node_bin="$(command -v node)" || die "no node on this machine"
  node_bin="$(readlink -f "$node_bin")"
  "$node_bin" -e 'process.exit(+process.versions.node.split(".")[0] === 20 ? 0 : 1)' ||
    die "the base needs Node 20; this machine has $("$node_bin" --version)"
  npm_dir="$(dirname "$node_bin")/../lib/node_modules/npm"
  [ -f "$npm_dir/bin/npm-cli.js" ] || die "npm not found beside $node_bin ($npm_dir)"
  ca_bundle="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
  [ -s "$ca_bundle" ] || die "no CA bundle at $ca_bundle (set NODE_EXTRA_CA_CERTS)"

  ctr="$(buildah from --name rcc-base-work scratch)"
  # Whatever happens below (a failure exits), the working container does not outlive the script.
  trap 'buildah rm rcc-base-work >/dev/null 2>&1 || true' EXIT
  mnt="$(buildah mount "$ctr")"
  log "debootstrap --variant=minbase bookworm into the base"
  debootstrap --variant=minbase bookworm "$mnt" http://deb.debian.org/debian >/tmp/rcc-debootstrap.log 2>&1 ||
    die "debootstrap failed (log: /tmp/rcc-debootstrap.log)"
  rm -rf "$mnt"/var/cache/apt/archives/*.deb "$mnt"/var/lib/apt/lists/*

  install -D -m 0755 "$node_bin" "$mnt/usr/local/bin/node"
  mkdir -p "$mnt/usr/local/lib/node_modules"
  cp -a "$(readlink -f "$npm_dir")" "$mnt/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
  install -D -m 0644 "$ca_bundle" "$mnt/etc/ssl/certs/rcc-host-ca-bundle.crt"
  chroot "$mnt" groupadd --gid 1000 node
  chroot "$mnt" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  chroot "$mnt" /usr/local/bin/node --version >/dev/null || die "node does not run inside the base"
  buildah umount "$ctr" >/dev/null

  buildah config \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env NODE_VERSION="$("$node_bin" -p process.versions.node)" \
    --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rcc-host-ca-bundle.crt \
    --label org.opencontainers.image.description="stand-in for ${BASE_SHORT}, made by scripts/build-image.sh" \
    --cmd node "$ctr"
  buildah commit --quiet "$ctr" "$BASE" >/dev/null
}

if buildah inspect --type image "$BASE" >/dev/null 2>&1 && [ "${RCC_BASE_REBUILD:-0}" != 1 ]; then
  log "stand-in base $BASE present (RCC_BASE_REBUILD=1 makes it again)"
else
  buildah rm rcc-base-work >/dev/null 2>&1 || true
  started=$(now)
  make_base
  log "stand-in base $BASE made in $(($(now) - started)) s"
fi

# ---- the image ----
started=$(now)
log "building $IMAGE from ./Dockerfile (buildah, --isolation $ISOLATION)"
buildah bud --isolation "$ISOLATION" --network host --pull=never --layers --format docker \
  -f Dockerfile -t "$IMAGE" . || die "buildah bud failed"
log "built $IMAGE in $(($(now) - started)) s"
size=$(buildah images --format "{{.Size}}" "$IMAGE" | head -n 1)
log "$IMAGE size: $size"
