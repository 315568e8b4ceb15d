#!/usr/bin/env bash
# Builds a Node 22 base image for the Dockerfile without pulling anything from a registry (CI machines
# here can reach no image registry): a root filesystem holding the Node binary that `npm install` put
# in node_modules/node, the shared libraries it links against (read off `ldd`), npm's files, a
# passwd/group with the official image's `node` user (uid 1000; no home: the mock writes only to
# /tls and /tmp), then `docker import`.
#
#   bash scripts/offline-base.sh [tag]      (default tag: snowflake-auth-mock-base:offline)
#   docker build --network host --build-arg BASE=snowflake-auth-mock-base:offline -t snowflake-auth-mock .
#
# It has no shell: the Dockerfile uses exec-form instructions only, so it builds from this base and
# from node:22-slim alike.
set -euo pipefail
cd "$(dirname "$0")/.."
tag="${1:-snowflake-auth-mock-base:offline}"

node_bin="$(readlink -f node_modules/node/bin/node)"
[ -x "$node_bin" ] || { echo "offline-base: node_modules/node/bin/node is missing; run npm ci first" >&2; exit 2; }
npm_dir="$(npm root -g)/npm"
[ -f "$npm_dir/bin/npm-cli.js" ] || { echo "offline-base: npm's files are not at $npm_dir" >&2; exit 2; }

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/node_modules" "$root/etc" "$root/tmp" "$root/root"
cp "$node_bin" "$root/usr/local/bin/node"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"

# Every library the binary links, at the path the dynamic loader looks for it, and the loader itself.
for lib in $(ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
node:x:1000:1000:node:/nonexistent:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
node:x:1000:
GROUP
# Names from /etc/hosts first (Docker writes it): `localhost` must never become a DNS query.
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
chmod 1777 "$root/tmp"

# The build stage's npm reaches the registry over this machine's network, whose TLS may be signed by
# a CA only this machine trusts: the base trusts what the machine trusts (as a debootstrap'd base with
# ca-certificates would). Node reads NODE_EXTRA_CA_CERTS at start.
ca_env=()
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$root/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  ca_env=(--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
fi

tar --numeric-owner -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'CMD ["node"]' "${ca_env[@]}" \
  --message "Node $("$node_bin" --version) from node_modules/node, offline" - "$tag" >/dev/null
echo "$tag: $(docker image inspect -f '{{.Size}}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }'), Node $("$node_bin" --version)"
