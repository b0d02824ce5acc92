// The boot-time recorder of known-good deployments, as the page installs it on the host:
// a oneshot service two minutes after boot (the driver and nvidia-persistenced are up by
// then) running a short sh script shipped with the package. /etc, because /usr is
// read-only on image-based hosts and /etc follows every deployment.

export const RECORDER_DIR = '/etc/cockpit-ai-workstation';
export const RECORDER_SCRIPT = `${RECORDER_DIR}/record-known-good.sh`;
export const SERVICE_NAME = 'ai-workstation-known-good.service';
export const TIMER_NAME = 'ai-workstation-known-good.timer';
export const UNIT_DIR = '/etc/systemd/system';
export const STATE_DIR = '/var/lib/cockpit-ai-workstation';
export const KNOWN_GOOD_FILE = `${STATE_DIR}/known-good.jsonl`;
export const AUTO_PINS_FILE = `${STATE_DIR}/auto-pins.json`;
export const SETTINGS_FILE = `${STATE_DIR}/settings.json`;

export function serviceUnit(): string {
    return `# Installed by Cockpit's AI workstation page: records the booted deployment as
# known-good when the NVIDIA driver works. Remove with the page, or delete this file
# and ${TIMER_NAME}.
[Unit]
Description=Record the booted deployment as known-good when the GPU driver works
After=multi-user.target nvidia-persistenced.service
ConditionPathExists=/run/ostree-booted

[Service]
Type=oneshot
ExecStart=/bin/sh ${RECORDER_SCRIPT}
`;
}

export function timerUnit(): string {
    return `# Installed by Cockpit's AI workstation page (see ${SERVICE_NAME}).
[Unit]
Description=Record the booted deployment as known-good, after boot

[Timer]
OnBootSec=2min
Unit=${SERVICE_NAME}

[Install]
WantedBy=timers.target
`;
}
