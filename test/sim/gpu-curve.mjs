// The moving values of the simulated nvidia-smi: a smooth, deterministic load curve per
// GPU, so charts move, two runs at the same time agree and every value stays within the
// limits of the recorded device (from its -q -x).

const TAU = 2 * Math.PI;

function clamp(x, lo, hi) {
    return Math.min(hi, Math.max(lo, x));
}

/** Load in 0.1 … 0.95 at simulated time `t` (seconds); GPUs are out of phase. */
export function loadAt(t, index) {
    const phase = index * 1.7;
    const slow = Math.sin(TAU * t / 45 + phase);
    const fast = Math.sin(TAU * t / 7.3 + 2.1 * phase);
    return clamp(0.55 + 0.3 * slow + 0.1 * fast, 0.1, 0.95);
}

function between(idle, max, f) {
    if (idle === null) return null;
    if (max === null || max < idle) return idle;
    return idle + (max - idle) * f;
}

/**
 * One sample of GPU `gpu` (from readNvidiaSmiXml) at simulated time `t`.
 * `appsMiB` is what the scenario's compute apps hold on it: memory.used never drops
 * below the recorded use plus that.
 */
export function sampleGpu(gpu, t, appsMiB = 0) {
    const load = loadAt(t, gpu.index);
    const mig = gpu.migMode === 'Enabled';
    const s = {};

    // with MIG on, nvidia-smi has no whole-GPU utilisation (the H100 MIG capture: [N/A])
    s.utilGpu = mig || gpu.utilGpu === null ? null : Math.round(100 * load);
    s.utilMem = mig || gpu.utilMem === null ? null : Math.round(100 * load * (0.35 + 0.15 * Math.sin(TAU * t / 11 + gpu.index)));

    if (gpu.memTotal !== null && gpu.memUsed !== null) {
        const reserved = gpu.memReserved ?? 0;
        const floor = Math.min(gpu.memUsed + appsMiB, gpu.memTotal - reserved);
        const room = gpu.memTotal - reserved - floor;
        const used = Math.round(floor + room * 0.3 * (1 + Math.sin(TAU * t / 90 + gpu.index)));
        s.memUsed = clamp(used, 0, gpu.memTotal - reserved);
        s.memFree = gpu.memTotal - reserved - s.memUsed;
    } else {
        s.memUsed = gpu.memUsed;
        s.memFree = null;
    }

    // warms towards the recorded target (or 10 C under slowdown) at full load
    const hot = gpu.tempTarget ?? (gpu.tempSlowdown !== null ? gpu.tempSlowdown - 10 : null);
    const temp = between(gpu.temp, hot, 0.85 * load);
    s.temp = temp === null ? null : Math.round(temp);

    const draw = between(gpu.powerDraw, gpu.powerLimit !== null ? 0.95 * gpu.powerLimit : null, load);
    s.powerDraw = draw === null ? null : Math.round(draw * 100) / 100;

    const clock = (idle, max, f) => {
        const c = between(idle, max, f);
        return c === null ? null : Math.round(c);
    };
    const boost = clamp(load * 1.3, 0, 1);
    s.clockGr = clock(gpu.clockGr, gpu.maxClockGr, boost);
    s.clockSm = clock(gpu.clockSm, gpu.maxClockSm, boost);
    s.clockVideo = clock(gpu.clockVideo, gpu.maxClockVideo, boost);
    s.clockMem = load > 0.2 ? (gpu.maxClockMem ?? gpu.clockMem) : gpu.clockMem;

    s.fan = gpu.fan === null ? null : Math.round(between(gpu.fan, 100, 0.6 * load));
    // busy consumer GPUs sit in P2 (the RTX 2080 SUPER capture under load); P0 stays P0
    s.pstate = gpu.pstate && gpu.pstate !== 'P0' && load > 0.25 ? 'P2' : gpu.pstate;
    return s;
}
