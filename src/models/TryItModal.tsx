// Try a running server: its base URL and a curl line to copy, and a prompt sent through
// the bridge (the browser never talks to the server itself) with the reply and its speed.
import {
    Alert, Button, ClipboardCopy, Content, Form, FormGroup, Modal, ModalBody, ModalFooter, ModalHeader, ModalVariant,
    Spinner, Stack, TextArea,
} from '@patternfly/react-core';
import { useEffect, useState } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { tcpHttp } from '../../pkg/lib/http';
import { ErrorAlert } from '../app/ErrorAlert';
import { chatRequestBody, curlExample, firstModelId, parseChatReply, type ChatReply } from './chat';
import type { CatalogEntry } from './catalog';
import type { ModelServer } from './model-server';
import { endpointUrl } from './ServersTable';

/** A first answer on a CPU, or with a model still loading, can take minutes. */
const CHAT_TIMEOUT_MS = 300_000;

export function TryItModal({ server, entry, onClose }: { server: ModelServer, entry: CatalogEntry | null, onClose: () => void }) {
    const [prompt, setPrompt] = useState(_("Say hello in one short sentence."));
    const [busy, setBusy] = useState(false);
    const [reply, setReply] = useState<ChatReply | null>(null);
    const [error, setError] = useState<unknown>(null);
    const [modelId, setModelId] = useState<string | null>(null);
    const base = endpointUrl(server);
    const modelsPath = entry?.modelsPath ?? '/v1/models';
    const chatPath = entry?.chatPath ?? '/v1/chat/completions';

    useEffect(() => {
        if (!server.endpoint)
            return;
        const http = tcpHttp(server.endpoint.host, server.endpoint.port);
        http.exchange('GET', modelsPath).then(answer => setModelId(firstModelId(answer.body)), () => undefined)
                .finally(() => http.close());
    }, [server.endpoint, modelsPath]);

    const send = async () => {
        if (!server.endpoint)
            return;
        setBusy(true);
        setError(null);
        setReply(null);
        const http = tcpHttp(server.endpoint.host, server.endpoint.port);
        const started = performance.now();
        try {
            const answer = await http.exchange('POST', chatPath, chatRequestBody(prompt, modelId), CHAT_TIMEOUT_MS);
            if (answer.status < 200 || answer.status >= 300)
                throw new Error(format(_("The server answered HTTP $0: $1"), answer.status, answer.body.slice(0, 300)));
            setReply(parseChatReply(answer.body, performance.now() - started));
        } catch (e) {
            setError(e);
        } finally {
            http.close();
            setBusy(false);
        }
    };

    return (
        <Modal variant={ModalVariant.medium} isOpen onClose={onClose} id="try-it-modal" aria-labelledby="try-it-title">
            <ModalHeader title={format(_("Try $0"), server.name)} labelId="try-it-title" />
            <ModalBody>
                {base === null
                    ? <Alert variant="warning" isInline title={_("This server publishes no port on the host, so it cannot be reached.")} />
                    : <Stack hasGutter>
                        <Content component="p">{_("Base URL of the OpenAI-compatible API:")}</Content>
                        <ClipboardCopy isReadOnly id="try-it-base-url">{`${base}/v1`}</ClipboardCopy>
                        <Content component="p">{_("From a shell on this host:")}</Content>
                        <ClipboardCopy isReadOnly variant="expansion" id="try-it-curl">{curlExample(base, chatPath, modelId)}</ClipboardCopy>
                        <Form onSubmit={e => {
                            e.preventDefault();
                            void send();
                        }}>
                            <FormGroup label={_("Prompt")} fieldId="try-it-prompt">
                                <TextArea id="try-it-prompt" value={prompt} onChange={(_e, v) => setPrompt(v)} resizeOrientation="vertical" />
                            </FormGroup>
                        </Form>
                        {busy && <Spinner size="md" aria-label={_("Waiting for the answer")} />}
                        {error !== null && <ErrorAlert title={_("The request failed")} error={error} />}
                        {reply &&
                            <Alert variant="info" isInline title={_("Answer")} id="try-it-reply">
                                <Content component="p" data-field="reply">{reply.text}</Content>
                                <Content component="small" data-field="reply-speed">
                                    {[
                                        reply.completionTokens !== null ? format(_("$0 tokens"), reply.completionTokens) : null,
                                        reply.tokensPerSecond !== null ? format(_("$0 tokens/s"), reply.tokensPerSecond.toFixed(1)) : null,
                                    ].filter(Boolean).join(' · ')}
                                </Content>
                            </Alert>}
                    </Stack>}
            </ModalBody>
            <ModalFooter>
                <Button variant="primary" onClick={() => void send()} isDisabled={busy || base === null || prompt.trim() === ''} id="try-it-send">{_("Send")}</Button>
                <Button variant="link" onClick={onClose}>{_("Close")}</Button>
            </ModalFooter>
        </Modal>
    );
}
