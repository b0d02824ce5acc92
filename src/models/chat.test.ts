// The Try it box: the request it sends, the reading of llama.cpp's, vLLM's and Ollama's
// answers (tokens per second from the server's own timing where it gives one), the model
// id some servers require, and the curl line the admin can paste into a shell.
import { execFileSync } from 'node:child_process';
import { parseErrorOf } from '../../test/unit/parse-errors';
import { chatRequestBody, curlExample, firstModelId, parseChatReply } from './chat';

// llama.cpp server's /v1/chat/completions answer (b4xxx), trimmed to the fields it always sends
const LLAMA_CPP = JSON.stringify({
    choices: [{ finish_reason: 'stop', index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' } }],
    created: 1733126400,
    model: 'gpt-3.5-turbo',
    object: 'chat.completion',
    usage: { completion_tokens: 10, prompt_tokens: 12, total_tokens: 22 },
    id: 'chatcmpl-7bUZyX1',
    timings: {
        prompt_n: 12, prompt_ms: 40.1, prompt_per_token_ms: 3.34, prompt_per_second: 299.25,
        predicted_n: 10, predicted_ms: 125.0, predicted_per_token_ms: 12.5, predicted_per_second: 80.0,
    },
});

// vLLM and Ollama's /v1: usage, no timings
const OPENAI = JSON.stringify({
    id: 'chatcmpl-3f2a', object: 'chat.completion', created: 1733126400, model: '/models/Qwen2.5-7B-Instruct',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: 40, total_tokens: 49 },
});

describe('chatRequestBody', () => {
    test('one user message, a short answer, no streaming, and the model when known', () => {
        expect(JSON.parse(chatRequestBody('Why is the sky blue?', '/models/Qwen2.5-7B-Instruct'))).toEqual({
            model: '/models/Qwen2.5-7B-Instruct',
            messages: [{ role: 'user', content: 'Why is the sky blue?' }],
            max_tokens: 256,
            stream: false,
        });
    });

    test('no model: the key is left out (llama.cpp serves the one it loaded)', () => {
        expect(JSON.parse(chatRequestBody('Hi', null))).not.toHaveProperty('model');
        expect(JSON.parse(chatRequestBody('Hi', ''))).not.toHaveProperty('model');
    });

    test('the prompt is JSON-escaped, not pasted', () => {
        const prompt = 'say "hi"\nand \\ then }';
        expect(JSON.parse(chatRequestBody(prompt, null)).messages[0].content).toBe(prompt);
    });
});

describe('parseChatReply', () => {
    test('llama.cpp: the server\'s own rate wins over the round trip', () => {
        expect(parseChatReply(LLAMA_CPP, 5000)).toEqual({
            text: 'Hello! How can I help you today?', completionTokens: 10, promptTokens: 12, tokensPerSecond: 80,
        });
    });

    test('timings with predicted_n and predicted_ms only: the rate is worked out from them', () => {
        const body = JSON.stringify({
            choices: [{ message: { content: 'ok' } }],
            timings: { predicted_n: 64, predicted_ms: 1600 },
        });
        expect(parseChatReply(body, 9000)).toEqual({ text: 'ok', completionTokens: null, promptTokens: null, tokensPerSecond: 40 });
    });

    test('predicted_ms of 0 gives no rate of its own: the round trip is used', () => {
        const body = JSON.stringify({
            choices: [{ message: { content: 'ok' } }],
            usage: { completion_tokens: 8, prompt_tokens: 3 },
            timings: { predicted_n: 8, predicted_ms: 0 },
        });
        expect(parseChatReply(body, 2000).tokensPerSecond).toBe(4);
    });

    test('usage only (vLLM, Ollama /v1): completion tokens over the elapsed time', () => {
        expect(parseChatReply(OPENAI, 2000)).toEqual({ text: 'Hi there.', completionTokens: 40, promptTokens: 9, tokensPerSecond: 20 });
    });

    test('no usage and no timings, or no elapsed time: no rate', () => {
        expect(parseChatReply(JSON.stringify({ choices: [{ message: { content: 'x' } }] }), 2000).tokensPerSecond).toBeNull();
        expect(parseChatReply(OPENAI, 0).tokensPerSecond).toBeNull();
    });

    test('numbers that are not numbers are not believed', () => {
        const body = JSON.stringify({
            choices: [{ message: { content: 'x' } }],
            usage: { completion_tokens: '40', prompt_tokens: null },
            timings: { predicted_per_second: 'fast' },
        });
        expect(parseChatReply(body, 1000)).toEqual({ text: 'x', completionTokens: null, promptTokens: null, tokensPerSecond: null });
    });

    test('an empty answer is still an answer', () => {
        expect(parseChatReply(JSON.stringify({ choices: [{ message: { content: '' } }] }), 100).text).toBe('');
    });

    test.each([
        // llama.cpp and vLLM: OpenAI's error object
        [JSON.stringify({ error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error' } }),
            'the request exceeds the available context size, try increasing it'],
        [JSON.stringify({ object: 'error', message: 'ignored', error: { type: 'BadRequestError' } }), 'error'],
        // Ollama's own
        [JSON.stringify({ error: 'model "llama3" not found, try pulling it first' }), 'model "llama3" not found, try pulling it first'],
    ])('an error answer is a ParseError with the server\'s message: %s', (body, message) => {
        const error = parseErrorOf(() => parseChatReply(body, 100));
        expect(error.tool).toBe('model server');
        expect(error.message).toBe(message);
    });

    test.each([
        ['<html><body>502 Bad Gateway</body></html>', 'the answer is not JSON'],
        ['', 'the answer is not JSON'],
        ['{"choices": [', 'the answer is not JSON'],
        ['{"choices": []}', 'no choices[0].message.content in the answer'],
        ['{"choices": [{"message": {"role": "assistant"}}]}', 'no choices[0].message.content in the answer'],
        ['{"choices": [{"message": {"content": ["a"]}}]}', 'no choices[0].message.content in the answer'],
        ['{"choices": [null]}', 'no choices[0].message.content in the answer'],
        ['{"models": []}', 'no choices[0].message.content in the answer'],
        ['[]', 'no choices[0].message.content in the answer'],
        ['"OK"', 'no choices[0].message.content in the answer'],
        ['null', 'no choices[0].message.content in the answer'],
    ])('%j is a ParseError', (body, message) => {
        const error = parseErrorOf(() => parseChatReply(body, 100));
        expect(error.tool).toBe('model server');
        expect(error.message).toBe(message);
        expect(error.snippet).toBe(body.trim());
    });
});

describe('firstModelId', () => {
    test('OpenAI\'s /v1/models: data[0].id', () => {
        const body = JSON.stringify({
            object: 'list',
            data: [
                { id: '/models/Qwen2.5-7B-Instruct', object: 'model', created: 1733126400, owned_by: 'vllm', max_model_len: 8192 },
                { id: 'second', object: 'model' },
            ],
        });
        expect(firstModelId(body)).toBe('/models/Qwen2.5-7B-Instruct');
    });

    test('Ollama\'s /api/tags: models[0].name', () => {
        const body = JSON.stringify({
            models: [{ name: 'llama3.2:3b', model: 'llama3.2:3b', modified_at: '2024-12-01T10:00:00Z', size: 2019393189 }],
        });
        expect(firstModelId(body)).toBe('llama3.2:3b');
    });

    test.each(['{"object": "list", "data": []}', '{"models": []}', '{"data": [{"id": 7}]}', 'not json', '', 'null', '{}'])(
        '%j: no model id', body => {
            expect(firstModelId(body)).toBeNull();
        });
});

describe('curlExample', () => {
    test('the line for a server on loopback', () => {
        expect(curlExample('http://127.0.0.1:8080', '/v1/chat/completions', null)).toBe(
            `curl -s http://127.0.0.1:8080/v1/chat/completions -H 'Content-Type: application/json' -d '{"messages":[{"role":"user","content":"Hello!"}],"max_tokens":256,"stream":false}'`);
    });

    test('a single quote in the model id is closed, escaped and reopened for the shell', () => {
        const line = curlExample('http://127.0.0.1:8000', '/v1/chat/completions', "/models/it's-7b");
        expect(line).toContain(`"model":"/models/it'\\''s-7b"`);
    });

    test('a POSIX shell hands curl exactly the request body', () => {
        const model = "/models/it's \"quoted\" $HOME `id` 7b";
        const line = curlExample('http://127.0.0.1:8000', '/v1/chat/completions', model);
        // run the line with curl replaced by printf, which prints the -d argument (the sixth) back
        const printed = execFileSync('sh', ['-c', `curl() { printf '%s' "$6"; }; ${line}`], { encoding: 'utf8' });
        expect(printed).toBe(chatRequestBody('Hello!', model));
    });
});
