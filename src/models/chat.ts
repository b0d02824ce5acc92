// The Try it box's request and the reading of a server's answer: OpenAI's chat
// completion shape, which llama.cpp, vLLM and Ollama's /v1 all speak. Pure.
import { ParseError } from '../../pkg/lib/parse-error';

export function chatRequestBody(prompt: string, model: string | null): string {
    return JSON.stringify({
        ...(model ? { model } : {}),
        messages: [{ role: 'user', content: prompt }],
        max_tokens: 256,
        stream: false,
    });
}

export interface ChatReply {
    text: string;
    completionTokens: number | null;
    promptTokens: number | null;
    /** From the server's own timing where it reports one (llama.cpp), else from the round trip. */
    tokensPerSecond: number | null;
}

export function parseChatReply(body: string, elapsedMs: number): ChatReply {
    let json: unknown;
    try {
        json = JSON.parse(body);
    } catch {
        throw new ParseError('model server', 'the answer is not JSON', body);
    }
    // JSON's null has no fields to read: treat it like any other answer without content
    const reply = (json ?? {}) as {
        choices?: { message?: { content?: unknown } }[];
        usage?: { completion_tokens?: unknown, prompt_tokens?: unknown };
        timings?: { predicted_n?: unknown, predicted_ms?: unknown, predicted_per_second?: unknown };
        error?: { message?: unknown } | string;
    };
    if (reply.error)
        throw new ParseError('model server', typeof reply.error === 'string' ? reply.error : String(reply.error.message ?? 'error'), body);
    const content = reply.choices?.[0]?.message?.content;
    if (typeof content !== 'string')
        throw new ParseError('model server', 'no choices[0].message.content in the answer', body);
    const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v) ? v : null;
    const completionTokens = num(reply.usage?.completion_tokens);
    const serverRate = num(reply.timings?.predicted_per_second);
    const predictedN = num(reply.timings?.predicted_n);
    const predictedMs = num(reply.timings?.predicted_ms);
    let tokensPerSecond = serverRate;
    if (tokensPerSecond === null && predictedN !== null && predictedMs)
        tokensPerSecond = predictedN / (predictedMs / 1000);
    if (tokensPerSecond === null && completionTokens !== null && elapsedMs > 0)
        tokensPerSecond = completionTokens / (elapsedMs / 1000);
    return { text: content, completionTokens, promptTokens: num(reply.usage?.prompt_tokens), tokensPerSecond };
}

/** The first model id of GET /v1/models, which some servers (vLLM) require in the request. */
export function firstModelId(body: string): string | null {
    try {
        const json = JSON.parse(body) as { data?: { id?: unknown }[], models?: { name?: unknown }[] };
        const id = json.data?.[0]?.id ?? json.models?.[0]?.name;
        return typeof id === 'string' ? id : null;
    } catch {
        return null;
    }
}

/** A shell line the admin can paste on the host; the prompt is single-quoted for the shell. */
export function curlExample(baseUrl: string, chatPath: string, model: string | null): string {
    const body = chatRequestBody('Hello!', model).replace(/'/g, "'\\''");
    return `curl -s ${baseUrl}${chatPath} -H 'Content-Type: application/json' -d '${body}'`;
}
