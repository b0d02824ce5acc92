// One fact in a description list: its term, and the value with a data-field tests and
// screen readers find it by.
import { DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from '@patternfly/react-core';
import type { ReactNode } from 'react';

export function FactTerm({ term, field, children }: { term: string, field: string, children: ReactNode }) {
    return (
        <DescriptionListGroup>
            <DescriptionListTerm>{term}</DescriptionListTerm>
            <DescriptionListDescription data-field={field}>{children}</DescriptionListDescription>
        </DescriptionListGroup>
    );
}
