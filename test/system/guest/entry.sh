#!/bin/bash
# Runs at every boot of a test run (systest.service, output on ttyS1). On the run's first boot it
# installs GPU Ferry from the host's staged tree and sets up the test user; then the driver continues
# the run's scenarios from where the last boot left them.
set -u
SHARE=/run/systest/share
STATE=/var/lib/systest
mkdir -p "$STATE"
if [ ! -f "$STATE/installed" ]; then
  # The staged tree keeps the package's owners and modes (tar -p, as root).
  tar -xpf "$SHARE/app.tar" -C / || { echo "SYSTEST FATAL app.tar did not unpack"; systemctl poweroff; exit 1; }
  # The person using the app: an ordinary account in the libvirt group (manages VMs, not the system).
  useradd -m -s /bin/bash -G libvirt ferry
  # pkexec answers through polkit with the shipped policy: this rule says yes, as an administrator typing
  # the password would, only for this user and only for GPU Ferry's own actions. A policy that does not
  # map the helper to these actions leaves pkexec on its generic action, which nothing allows here.
  install -m 644 /dev/stdin /etc/polkit-1/rules.d/50-systest-ferry.rules <<'RULE'
polkit.addRule(function (action, subject) {
  var ours = ["io.github.gpuferry.apply", "io.github.gpuferry.undo", "io.github.gpuferry.recover"];
  if (subject.user == "ferry" && ours.indexOf(action.id) >= 0) return polkit.Result.YES;
});
RULE
  touch "$STATE/installed"
  echo "SYSTEST INSTALLED gpu-ferry $(/usr/local/bin/node --version 2>&1)"
fi
exec /bin/bash "$SHARE/guest/driver.sh"
