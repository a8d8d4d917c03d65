# shellcheck shell=bash
# copy_with_libs BINARY ROOT [PATH_IN_ROOT]: copy a dynamic binary into the tree ROOT (at PATH_IN_ROOT,
# else ROOT/bin/<name>) with every library ldd resolves for it, at the same paths as on this machine.
copy_with_libs() {
  local src=$1 root=$2 dest=${3:-/bin/$(basename "$1")} lib
  mkdir -p "$root$(dirname "$dest")"
  cp "$src" "$root$dest"
  ldd "$src" | awk '/=> \//{print $3} /^\t\/lib64/{print $1}' | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"
  done
}
