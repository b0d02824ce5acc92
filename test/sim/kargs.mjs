// Kernel arguments as libostree keeps them (OstreeKernelArgs, src/libostree/ostree-kernel-args.c):
// an ordered list of key[=value] entries, several entries per key allowed. The operations and
// their error texts are that file's (not recorded except where said):
//   append(arg)            ostree_kernel_args_append: a new entry at the end
//   appendIfMissing(arg)   ostree_kernel_args_append_if_missing: only when the key is absent
//   delete(arg)            ostree_kernel_args_delete: "KEY" (only one entry) or "KEY=VALUE";
//                          "No key '%s' found"; "No karg '%s=%s' found" (the one entry has
//                          another value: the recorded
//                          test/fixtures/kargs-cmdline/rpm-ostree-kargs-error-no-karg-found-el9-rpmostree4718.txt);
//                          "No karg '%s' found" (several entries, none that value);
//                          "Multiple values for key '%s' found" (KEY alone, several entries
//                          none of them valueless: the recorded
//                          …-delete-error-multiple-values-fcos30-rpmostree1834.txt; that 2019
//                          ostree said so for two valueless "nosmt" too, today's deletes one)
//   deleteIfPresent(arg)   ostree_kernel_args_delete_if_present
//   replace(arg)           ostree_kernel_args_new_replace: "KEY=NEW" (one entry) or
//                          "KEY=OLD=NEW"; "No key '%s' found", "No karg '%s=%s' found",
//                          "Multiple values for key '%s' found"
// split_keyeq() splits at the first "=": "quiet" has no value, "key=" an empty one.

export class KargsError extends Error {}

function splitKeyeq(arg) {
    const i = arg.indexOf('=');
    return i < 0 ? { key: arg, value: null } : { key: arg.slice(0, i), value: arg.slice(i + 1) };
}

export class Kargs {
    /** @param {string[]} args kernel-style words (quotes kept, as /proc/cmdline shows them) */
    constructor(args) {
        this.entries = args.map(splitKeyeq);
    }

    of(key) {
        return this.entries.filter(e => e.key === key);
    }

    append(arg) {
        this.entries.push(splitKeyeq(arg));
    }

    appendIfMissing(arg) {
        if (this.of(splitKeyeq(arg).key).length === 0) this.append(arg);
    }

    delete(arg) {
        const { key, value } = splitKeyeq(arg);
        const entries = this.of(key);
        if (entries.length === 0) throw new KargsError(`No key '${key}' found`);
        if (entries.length === 1) {
            if (value !== null && value !== entries[0].value) throw new KargsError(`No karg '${key}=${value}' found`);
            this.entries = this.entries.filter(e => e !== entries[0]);
            return;
        }
        const hit = entries.find(e => e.value === value);
        if (!hit) {
            if (value === null) throw new KargsError(`Multiple values for key '${arg}' found`);
            throw new KargsError(`No karg '${arg}' found`);
        }
        this.entries = this.entries.filter(e => e !== hit);
    }

    deleteIfPresent(arg) {
        if (this.of(splitKeyeq(arg).key).length > 0) this.delete(arg);
    }

    replace(arg) {
        const { key, value } = splitKeyeq(arg);
        const entries = this.of(key);
        if (entries.length === 0) throw new KargsError(`No key '${key}' found`);
        if (value !== null && value.includes('=')) {
            const { key: oldValue, value: newValue } = splitKeyeq(value);
            const hit = entries.find(e => e.value === oldValue);
            if (!hit) throw new KargsError(`No karg '${key}=${oldValue}' found`);
            hit.value = newValue;
            return;
        }
        if (entries.length > 1) throw new KargsError(`Multiple values for key '${key}' found`);
        entries[0].value = value;
    }

    toArgs() {
        return this.entries.map(e => (e.value === null ? e.key : `${e.key}=${e.value}`));
    }
}

/**
 * One kargs transaction as rpm-ostree's daemon runs it (kernel_arg_transaction_execute() in
 * src/daemon/rpmostreed-transaction-types.cxx): every --delete, then every --replace, then the
 * --append ones. --delete-if-present and --append-if-missing (ostree's functions of the same
 * names) are applied before those here; where the daemon puts them in that order was not
 * checked. Returns the new argument list or throws KargsError.
 */
export function applyKargs(args, ops) {
    const k = new Kargs(args);
    for (const a of ops.deleteIfPresent ?? []) k.deleteIfPresent(a);
    for (const a of ops.appendIfMissing ?? []) k.appendIfMissing(a);
    for (const a of ops.delete ?? []) k.delete(a);
    for (const a of ops.replace ?? []) k.replace(a);
    for (const a of ops.append ?? []) k.append(a);
    return k.toArgs();
}
