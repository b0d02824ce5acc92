// Remedies name commands in `backticks`; show those as code an admin can copy.
import { Fragment } from 'react';

export function RemedyText({ text }: { text: string }) {
    const parts = text.split('`');
    return (
        <>
            {parts.map((part, i) => i % 2 === 1
                ? <code key={i} className="aiws-command">{part}</code>
                : <Fragment key={i}>{part}</Fragment>)}
        </>
    );
}
