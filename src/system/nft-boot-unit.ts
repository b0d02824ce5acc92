// The oneshot unit that loads one of the page's own nftables tables at boot, before the
// network comes up, and removes only that table when stopped (the '-': a table already
// gone is not a failure). Pure.

export interface NftBootUnit {
    description: string;
    /** The ruleset file `nft -f` loads. */
    file: string;
    /** The inet table the file holds. */
    table: string;
}

export function nftBootUnit({ description, file, table }: NftBootUnit): string {
    return `# Written by Cockpit's AI workstation page.
[Unit]
Description=${description}
DefaultDependencies=no
Before=network-pre.target
Wants=network-pre.target
ConditionPathExists=${file}

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/nft -f ${file}
ExecStop=-/usr/sbin/nft delete table inet ${table}

[Install]
WantedBy=multi-user.target
`;
}
