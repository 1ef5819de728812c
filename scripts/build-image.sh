#!/usr/bin/env bash
# Builds the OCI image (default sg-provisioner:latest) from a release binary, without a daemon and
# without pulling anything: FROM scratch with the binary's shared-library closure (ldd), the CA
# bundle, /etc/passwd holding sguser (uid 1000) and the bundled scenarios (image/Containerfile).
# Uses buildah (vfs storage, chroot isolation: no daemon, works inside containers); docker when a
# daemon answers. Prints the image's size.
#
# Usage: build-image.sh [BINARY]   (default .build/dist/sg-provisioner, what `make release` leaves)
# Environment: IMAGE=name:tag
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-.build/dist/sg-provisioner}"
image="${IMAGE:-sg-provisioner:latest}"
context=.build/image
[ -x "$binary" ] || { echo "build-image: $binary is not built (make release builds it)" >&2; exit 1; }

version=$("$binary" --version)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ "$revision" != unknown ] && ! git diff --quiet HEAD -- Sources Package.swift image 2>/dev/null; then
    revision="$revision-dirty"
fi
# The commit's time, not now: the same commit gives the same image metadata.
created=$(git log -1 --format=%ct 2>/dev/null || echo 0)

rm -rf "$context"
rootfs="$context/rootfs"
mkdir -p "$rootfs/usr/local/bin" "$rootfs/etc/ssl/certs" "$rootfs/app/configs" "$rootfs/app/scenarios" "$rootfs/tmp" \
    "$context/owned/home" "$context/owned/reports"
chmod 1777 "$rootfs/tmp"
install -m 0755 "$binary" "$rootfs/usr/local/bin/sg-provisioner"

# Every shared object the loader will map, at the path it will look for it, and the loader itself.
ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u | while read -r library; do
    mkdir -p "$rootfs$(dirname "$library")"
    cp -L "$library" "$rootfs$library"
done
if ldd "$binary" | grep -q "not found"; then
    echo "build-image: ldd cannot resolve every library of $binary:" >&2
    ldd "$binary" | grep "not found" >&2
    exit 1
fi

# libcurl's compiled-in CA bundle path on Debian.
cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/nonexistent\nsguser:x:1000:1000:sg-provisioner:/home/sguser:/nonexistent\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nsguser:x:1000:\n' > "$rootfs/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
cp scenarios/*.yaml "$rootfs/app/scenarios/"

labels=(--build-arg "VERSION=$version" --build-arg "REVISION=$revision" --build-arg "IMAGE=$image")
if command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; then
    echo "build-image: docker build -t $image"
    docker build -q -f image/Containerfile "${labels[@]}" -t "$image" "$context" >/dev/null
    size=$(docker image inspect --format '{{.Size}}' "$image")
else
    command -v buildah >/dev/null 2>&1 || { echo "build-image: needs buildah (make image installs it) or a docker daemon" >&2; exit 1; }
    echo "build-image: buildah bud -t $image (vfs storage, chroot isolation, no daemon)"
    # vfs keeps whole copies: the image this tag named before is removed once it is replaced.
    previous=$(buildah --storage-driver vfs images --noheading --format '{{.ID}}' "$image" 2>/dev/null || true)
    buildah --storage-driver vfs bud --quiet --isolation chroot --format oci --timestamp "$created" \
        -f image/Containerfile "${labels[@]}" \
        --annotation "org.opencontainers.image.version=$version" \
        --annotation "org.opencontainers.image.revision=$revision" \
        -t "$image" "$context" >/dev/null
    current=$(buildah --storage-driver vfs images --noheading --format '{{.ID}}' "$image")
    if [ -n "$previous" ] && [ "$previous" != "$current" ]; then
        buildah --storage-driver vfs rmi "$previous" >/dev/null 2>&1 || true
    fi
    size=$(buildah --storage-driver vfs images --noheading --format '{{.Size}}' "$image")
fi
echo "build-image: $image (version $version, revision $revision): $size"
