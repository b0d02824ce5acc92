// Writes the egress rulesets that record-nft-egress.sh loads, from src/egress/egress-ruleset.ts
// itself, for the recording's world (addresses of its namespaces). Usage, from the repository
// root: npx ts-node test/record/egress-rulesets.ts OUTDIR
import fs from 'node:fs';
import path from 'node:path';
import type { AllowlistEntry } from '../../src/egress/allowlist';
import { egressRuleset, type EgressRulesetInput } from '../../src/egress/egress-ruleset';

const allowlist: AllowlistEntry[] = [
    { kind: 'address', value: '198.51.100.7', family: 'ipv4' },
    { kind: 'network', value: '203.0.113.0/24', family: 'ipv4' },
    { kind: 'address', value: '2001:db8:a1e6::7', family: 'ipv6' },
    { kind: 'name', value: 'api.allowed.test', family: null },
];
const enforce: EgressRulesetInput = {
    mode: 'enforce',
    resolvers: ['198.51.100.53', 'fe80::53%aiws-nft-w0'],
    allowlist,
    resolvedNames: [
        { name: 'api.allowed.test', addresses: ['198.51.100.8', '2001:db8:a1e6::8'] },
        // no longer in the allowlist: left out
        { name: 'api.openai.com', addresses: ['198.51.100.9'] },
    ],
    blockedContainers: ['10.216.0.0/24', 'fd42:a1e6:216::/64'],
};

const rulesets: Record<string, EgressRulesetInput> = {
    enforce,
    audit: { mode: 'audit' },
    'enforce-no-lan': { ...enforce, allowLocalNetworks: false },
    'off-blocked': { mode: 'off', blockedContainers: enforce.blockedContainers },
    off: { mode: 'off' },
};

const out = process.argv[2];
if (!out)
    throw new Error('usage: egress-rulesets.ts OUTDIR');
for (const [name, input] of Object.entries(rulesets))
    fs.writeFileSync(path.join(out, `${name}.nft`), egressRuleset(input));
