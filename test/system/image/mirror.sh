#!/usr/bin/env bash
# Prints the Debian mirror this machine's apt uses (deb822 or one-line sources), else deb.debian.org.
m=$(sed -n 's#^URIs: *\(https\?://[^ ]*\)/debian/\?$#\1#p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
[[ -n $m ]] || m=$(sed -n 's#^deb \(https\?://[^ ]*\)/debian/\? bookworm .*#\1#p' /etc/apt/sources.list 2>/dev/null | head -n1)
echo "${m:-http://deb.debian.org}"
