// Create a model server from the catalog. Fields are checked as they are typed; the
// model path is checked on the host when it is left; the create runs its steps in the
// dialog, which stays open with the reason when one fails (and nothing is left behind).
import {
    Alert, Button, Checkbox, Content, ExpandableSection, Form, FormGroup, FormHelperText, FormSelect, FormSelectOption,
    HelperText, HelperTextItem, List, ListItem, Modal, ModalBody, ModalFooter, ModalHeader, ModalVariant, Radio,
    TextInput,
} from '@patternfly/react-core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { _, format, translateShipped } from '../../pkg/lib/gettext';
import { ErrorAlert } from '../app/ErrorAlert';
import type { CatalogEntry } from './catalog';
import { cdiVerdict, type CdiFacts } from './use-cdi';
import type { GpuAssignment, ModelServer } from './model-server';
import { checkModelPath, foundText, validateModelPathText } from './model-path-parser';
import { planServer, type FieldName, type ServerForm } from './server-form';
import { portTakenBy } from './create-server';
import { hasQuadlet, type PodmanVersion } from './libpod-version';

export interface CreateRequest {
    entry: CatalogEntry;
    form: ServerForm;
    startAtBoot: boolean;
}

type PathCheck = { kind: 'idle' } | { kind: 'checking' } | { kind: 'ok', text: string } | { kind: 'bad', reason: string };

function freePort(preferred: number, servers: readonly ModelServer[]): number {
    const taken = new Set(servers.flatMap(s => s.ports.map(p => p.hostPort)));
    let port = preferred;
    while (taken.has(port) && port < 65535)
        port++;
    return port;
}

function freeName(base: string, taken: readonly string[]): string {
    for (let i = 1; ; i++) {
        const name = `${base}-${i}`;
        if (!taken.includes(name))
            return name;
    }
}

function initialForm(entry: CatalogEntry, servers: readonly ModelServer[], takenNames: readonly string[], gpus: GpuAssignment): ServerForm {
    return {
        name: freeName(entry.id, takenNames),
        image: entry.image,
        modelPath: '',
        gpus,
        hostPort: String(freePort(entry.defaultHostPort, servers)),
        containerPort: String(entry.containerPort),
        exposeOnAllInterfaces: false,
        memoryLimit: entry.memoryLimit,
        contextSize: String(entry.contextSize),
        extraArgs: '',
    };
}

export function CreateServerDialog({ catalog, servers, takenNames, cdi, podmanVersion, checkPath, onCreate, onClose }: {
    catalog: readonly CatalogEntry[];
    servers: readonly ModelServer[];
    takenNames: readonly string[];
    cdi: CdiFacts | null;
    /** podman's version, to say when start at boot cannot work yet; null when unknown. */
    podmanVersion: PodmanVersion | null;
    checkPath: (path: string) => Promise<import('./model-path-parser').ModelPathReport>;
    /** Runs the create; progress lines go to onStep. Rejects with the reason. */
    onCreate: (request: CreateRequest, onStep: (line: string) => void) => Promise<void>;
    onClose: () => void;
}) {
    const verdict = cdi ? cdiVerdict(cdi) : { kind: 'none' as const };
    const defaultGpus: GpuAssignment = verdict.kind === 'ok' ? { kind: 'all' } : { kind: 'none' };
    const [entryId, setEntryId] = useState(catalog[0]?.id ?? '');
    const entry = catalog.find(e => e.id === entryId) ?? catalog[0];
    const [form, setForm] = useState<ServerForm>(() => initialForm(entry, servers, takenNames, defaultGpus));
    const [startAtBoot, setStartAtBoot] = useState(false);
    const [touched, setTouched] = useState<ReadonlySet<FieldName>>(new Set());
    const [pathCheck, setPathCheckNow] = useState<PathCheck>({ kind: 'idle' });
    // an answer from the host counts only for the path it was asked about
    const pathGeneration = useRef(0);
    const setPathCheck = (check: PathCheck) => {
        pathGeneration.current++;
        setPathCheckNow(check);
    };
    const [steps, setSteps] = useState<string[]>([]);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);

    useEffect(() => {
        setForm(initialForm(entry, servers, takenNames, entry.requiresGpu ? { kind: 'all' } : defaultGpus));
        setPathCheck({ kind: 'idle' });
        // a new catalog entry starts a new form; the lists are only read for defaults
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [entryId]);

    const result = useMemo(() => planServer(entry, form, takenNames), [entry, form, takenNames]);
    // podman would refuse it only at start; say it before anything is created
    const portOwner = portTakenBy(servers, Number(form.hostPort.trim()));
    const problems: Partial<Record<FieldName, string>> = {
        ...(result.ok ? {} : result.problems),
        ...(portOwner ? { hostPort: format(_("Port $0 is already published by $1: pick another one."), form.hostPort.trim(), portOwner.name) } : {}),
    };
    const set = <K extends keyof ServerForm>(key: K, value: ServerForm[K]) => setForm(previous => ({ ...previous, [key]: value }));
    const touch = (field: FieldName) => setTouched(previous => new Set(previous).add(field));
    const shown = (field: FieldName) => (touched.has(field) || error !== null) ? problems[field] : undefined;

    const checkModel = async () => {
        touch('modelPath');
        const path = form.modelPath.trim();
        const textProblem = path === '' ? null : validateModelPathText(path);
        if (path === '')
            return setPathCheck({ kind: 'idle' });
        if (textProblem)
            return setPathCheck({ kind: 'bad', reason: textProblem });
        setPathCheck({ kind: 'checking' });
        const mine = pathGeneration.current;
        const settle = (check: PathCheck) => mine === pathGeneration.current && setPathCheck(check);
        try {
            const check = checkModelPath(await checkPath(path), entry.modelFormats);
            settle(check.ok ? { kind: 'ok', text: foundText(check.format) } : { kind: 'bad', reason: check.reason });
        } catch (e) {
            settle({ kind: 'bad', reason: e instanceof Error ? e.message : String(e) });
        }
    };

    const submit = async () => {
        setTouched(new Set<FieldName>(['name', 'image', 'modelPath', 'hostPort', 'containerPort', 'memoryLimit', 'contextSize', 'extraArgs', 'gpus']));
        if (!result.ok || portOwner || pathCheck.kind === 'bad')
            return;
        setBusy(true);
        setError(null);
        setSteps([]);
        try {
            await onCreate({ entry, form, startAtBoot }, line => setSteps(previous => [...previous, line].slice(-200)));
            onClose();
        } catch (e) {
            setError(e);
        } finally {
            setBusy(false);
        }
    };

    const field = (id: FieldName) => ({ validated: shown(id) ? 'error' as const : 'default' as const });
    const helper = (id: FieldName, hint?: string) => {
        const problem = shown(id);
        if (!problem && !hint)
            return null;
        return (
            <FormHelperText>
                <HelperText><HelperTextItem variant={problem ? 'error' : 'default'} id={`${id}-helper`}>{problem ?? hint}</HelperTextItem></HelperText>
            </FormHelperText>
        );
    };
    const gpuDevices = verdict.kind === 'ok' ? verdict.devices.filter(d => d !== 'all') : [];

    return (
        <Modal variant={ModalVariant.medium} isOpen onClose={busy ? undefined : onClose} id="create-server-dialog" aria-labelledby="create-server-title">
            <ModalHeader title={_("Create a model server")} labelId="create-server-title"
                description={_("Runs under podman with the model read-only, no capabilities, no outbound network, and its port on 127.0.0.1.")} />
            <ModalBody>
                <Form isHorizontal onSubmit={e => {
                    e.preventDefault();
                    void submit();
                }}>
                    <FormGroup label={_("Server")} fieldId="create-entry" isRequired>
                        <FormSelect id="create-entry" value={entry.id} onChange={(_e, v) => setEntryId(v)} isDisabled={busy}>
                            {catalog.map(e => <FormSelectOption key={e.id} value={e.id} label={e.custom ? _("Custom image") : e.name} />)}
                        </FormSelect>
                        <FormHelperText><HelperText><HelperTextItem>
                            {entry.custom ? _("Any image that serves an OpenAI-compatible API.") : translateShipped(entry.description)}
                            {entry.minVramGiB > 0 && ' ' + format(_("Needs at least $0 GiB of GPU memory."), entry.minVramGiB)}
                        </HelperTextItem></HelperText></FormHelperText>
                    </FormGroup>
                    <FormGroup label={_("Name")} fieldId="create-name" isRequired>
                        <TextInput id="create-name" value={form.name} onChange={(_e, v) => set('name', v)} onBlur={() => touch('name')} {...field('name')} isDisabled={busy} />
                        {helper('name')}
                    </FormGroup>
                    {entry.custom &&
                        <FormGroup label={_("Image")} fieldId="create-image" isRequired>
                            <TextInput id="create-image" value={form.image} onChange={(_e, v) => set('image', v)} onBlur={() => touch('image')} {...field('image')} isDisabled={busy} />
                            {helper('image')}
                        </FormGroup>}
                    <FormGroup label={_("Model")} fieldId="create-model" isRequired>
                        <TextInput id="create-model" value={form.modelPath} placeholder="/var/lib/models/model.gguf"
                            onChange={(_e, v) => {
                                set('modelPath', v);
                                setPathCheck({ kind: 'idle' });
                            }}
                            onBlur={() => void checkModel()}
                            validated={shown('modelPath') || pathCheck.kind === 'bad' ? 'error' : pathCheck.kind === 'ok' ? 'success' : 'default'}
                            isDisabled={busy} />
                        {helper('modelPath', pathCheck.kind === 'bad' ? undefined : pathCheck.kind === 'ok' ? pathCheck.text : pathCheck.kind === 'checking' ? _("Checking…") : _("A file or folder on this host; it is mounted read-only."))}
                        {pathCheck.kind === 'bad' && !shown('modelPath') &&
                            <FormHelperText><HelperText><HelperTextItem variant="error" id="modelPath-check">{pathCheck.reason}</HelperTextItem></HelperText></FormHelperText>}
                    </FormGroup>
                    <FormGroup label={_("GPUs")} fieldId="create-gpus" role="radiogroup" isStack>
                        {verdict.kind === 'none' &&
                            <Alert variant="warning" isInline isPlain title={_("No NVIDIA CDI spec on this host")} id="create-cdi-warning">
                                {_("Containers get GPUs by CDI name. Generate the spec with: nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml")}
                            </Alert>}
                        {verdict.kind === 'stale' &&
                            <Alert variant="warning" isInline isPlain title={_("The CDI spec is stale")} id="create-cdi-warning">
                                {format(_("$0 was generated for driver $1, but driver $2 is loaded: GPU containers fail to start. Regenerate it with nvidia-ctk cdi generate."),
                                        verdict.spec.path, verdict.spec.driverVersion ?? '?', verdict.loadedDriver)}
                            </Alert>}
                        <Radio id="create-gpus-none" name="gpus" label={_("CPU only")} isChecked={form.gpus.kind === 'none'} onChange={() => set('gpus', { kind: 'none' })} isDisabled={busy} />
                        <Radio id="create-gpus-all" name="gpus" label={_("All GPUs (nvidia.com/gpu=all)")} isChecked={form.gpus.kind === 'all'} onChange={() => set('gpus', { kind: 'all' })} isDisabled={busy} />
                        {gpuDevices.map(device => (
                            <Checkbox key={device} id={`create-gpu-${device}`} label={`nvidia.com/gpu=${device}`}
                                isChecked={form.gpus.kind === 'some' && form.gpus.devices.includes(device)}
                                onChange={(_e, checked) => {
                                    const current = form.gpus.kind === 'some' ? form.gpus.devices : [];
                                    set('gpus', { kind: 'some', devices: checked ? [...current, device] : current.filter(d => d !== device) });
                                }} isDisabled={busy} />
                        ))}
                        {helper('gpus')}
                    </FormGroup>
                    <FormGroup label={_("Port on the host")} fieldId="create-port" isRequired>
                        <TextInput id="create-port" value={form.hostPort} onChange={(_e, v) => set('hostPort', v)} onBlur={() => touch('hostPort')} {...field('hostPort')} isDisabled={busy} />
                        {helper('hostPort')}
                        <Checkbox id="create-expose" label={_("Listen on all interfaces (other machines can reach it)")}
                            isChecked={form.exposeOnAllInterfaces} onChange={(_e, v) => set('exposeOnAllInterfaces', v)} isDisabled={busy} />
                        {form.exposeOnAllInterfaces &&
                            <Alert variant="warning" isInline isPlain title={_("Anyone who can reach this host can use the model: the server has no authentication.")} id="create-expose-warning" />}
                    </FormGroup>
                    <ExpandableSection toggleText={_("More options")} id="create-more">
                        {entry.custom &&
                            <FormGroup label={_("Port in the container")} fieldId="create-container-port">
                                <TextInput id="create-container-port" value={form.containerPort} onChange={(_e, v) => set('containerPort', v)} {...field('containerPort')} isDisabled={busy} />
                                {helper('containerPort')}
                            </FormGroup>}
                        <FormGroup label={_("Memory limit")} fieldId="create-memory">
                            <TextInput id="create-memory" value={form.memoryLimit} onChange={(_e, v) => set('memoryLimit', v)} onBlur={() => touch('memoryLimit')} {...field('memoryLimit')} isDisabled={busy} />
                            {helper('memoryLimit')}
                        </FormGroup>
                        <FormGroup label={_("Context size")} fieldId="create-context">
                            <TextInput id="create-context" value={form.contextSize} onChange={(_e, v) => set('contextSize', v)} onBlur={() => touch('contextSize')} {...field('contextSize')} isDisabled={busy} />
                            {helper('contextSize')}
                        </FormGroup>
                        <FormGroup label={_("Extra arguments")} fieldId="create-args">
                            <TextInput id="create-args" value={form.extraArgs} onChange={(_e, v) => set('extraArgs', v)} onBlur={() => touch('extraArgs')} {...field('extraArgs')} isDisabled={busy} />
                            {helper('extraArgs', _("Passed to the server as they are, no shell: --temp 0.7 --threads 8"))}
                        </FormGroup>
                    </ExpandableSection>
                    <Checkbox id="create-boot" label={_("Start at boot (writes a Quadlet unit to /etc/containers/systemd)")}
                        isChecked={startAtBoot} onChange={(_e, v) => setStartAtBoot(v)} isDisabled={busy}
                        body={startAtBoot && podmanVersion && !hasQuadlet(podmanVersion)
                            ? <Alert variant="warning" isInline isPlain id="create-boot-no-quadlet"
                                title={format(_("podman $0 has no Quadlet (it came with podman 4.4): the file is written, but systemd starts the server at boot only once podman is updated."), podmanVersion.version)} />
                            : undefined} />
                </Form>
                {steps.length > 0 &&
                    <List isPlain id="create-steps">
                        {steps.map((line, i) => <ListItem key={i}><Content component="small">{line}</Content></ListItem>)}
                    </List>}
                {error !== null && <ErrorAlert title={_("The server was not created")} error={error} />}
            </ModalBody>
            <ModalFooter>
                <Button variant="primary" onClick={() => void submit()} isLoading={busy} isDisabled={busy} id="create-server-submit">{_("Create and start")}</Button>
                <Button variant="link" onClick={onClose} isDisabled={busy}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
}
