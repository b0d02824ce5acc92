import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
    { ignores: ['dist/', 'node_modules/', 'bench/tmp/', 'test/browser/screenshots/', 'test/results/'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ['**/*.{ts,tsx}'],
        plugins: { react, 'react-hooks': reactHooks },
        languageOptions: {
            globals: { ...globals.browser, ...globals.node },
        },
        settings: { react: { version: 'detect' } },
        rules: {
            ...react.configs.recommended.rules,
            ...react.configs['jsx-runtime'].rules,
            ...reactHooks.configs.recommended.rules,
            '@typescript-eslint/no-explicit-any': 'error',
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_$' }],
            'react/prop-types': 'off',
            'no-restricted-imports': ['error', {
                paths: [{ name: 'cockpit', message: 'Only pkg/lib talks to cockpit.js; use its typed helpers.' }],
            }],
        },
    },
    {
        files: ['pkg/lib/**/*.{ts,tsx}', 'test/unit/**/*.{ts,tsx}'],
        rules: { 'no-restricted-imports': 'off' },
    },
    {
        files: ['**/*.{js,mjs,cjs}'],
        languageOptions: { globals: { ...globals.node } },
    },
);
