// A flagged endpoint as every egress table shows it: "Cloud AI: OpenAI", its note on hover.
import { Label } from '@patternfly/react-core';
import { MISSING } from '../gpus/format';
import { categoryText } from './egress-text';
import type { Endpoint } from './endpoints';

export function FlagLabel({ flag }: { flag: Endpoint | null }) {
    if (!flag)
        return <>{MISSING}</>;
    return <Label isCompact color="red" title={flag.note}>{`${categoryText(flag.category)}: ${flag.vendor}`}</Label>;
}
