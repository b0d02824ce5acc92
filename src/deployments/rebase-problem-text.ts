// The words for what is wrong with a rebase target (origin-parser.ts decides, this says it).
import { _, format } from '../../pkg/lib/gettext';
import type { RebaseProblem } from './origin-parser';

export function rebaseProblemText(problem: RebaseProblem): string {
    switch (problem.kind) {
    case 'empty': return _("Enter a ref or an image.");
    case 'control-characters': return _("It contains control characters.");
    case 'spaces': return _("It contains spaces.");
    case 'option': return _("It starts with \"-\" and would be read as an option.");
    case 'shell-character': return format(_("It contains the character \"$0\", which no ref or image has."), problem.character);
    case 'not-ascii': return _("It contains characters outside printable ASCII.");
    case 'bootc-prefix': return _("bootc switch takes a plain image reference such as quay.io/fedora/fedora-bootc:42, without the ostree-… prefix.");
    case 'no-image-name': return _("The image name is missing.");
    case 'bad-image': return format(_("\"$0\" is not a valid image reference (registry/name:tag or name@sha256:…)."), problem.image);
    case 'unknown-image-form': return _("Unknown image form: use ostree-unverified-registry:IMAGE, ostree-image-signed:docker://IMAGE or ostree-remote-image:REMOTE:registry:IMAGE.");
    case 'not-a-target': return _("This is neither an ostree ref (remote:ref) nor a container image reference (ostree-unverified-registry:IMAGE, …).");
    }
}
