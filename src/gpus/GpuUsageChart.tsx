// Utilisation and memory of one GPU over the last ten minutes. Default export: the card
// loads it lazily, so the chart library is fetched only when a GPU is on screen.
import { Chart, ChartArea, ChartAxis, ChartGroup, ChartLegend, ChartThemeColor, ChartVoronoiContainer } from '@patternfly/react-charts/victory';
import { getResizeObserver } from '@patternfly/react-core';
import { memo, useEffect, useRef, useState, type RefObject } from 'react';
import { _, format } from '../../pkg/lib/gettext';
import { HISTORY_WINDOW_MS, type HistoryPoint } from './history';

interface Datum { x: number, y: number, name: string }

function series(points: readonly HistoryPoint[], pick: (p: HistoryPoint) => number | null, name: string): Datum[] {
    return points.flatMap(p => {
        const y = pick(p);
        return y === null ? [] : [{ x: p.t, y, name }];
    });
}

/** The chart draws in pixels: follow the width the card gives it. */
function useWidth(): [RefObject<HTMLDivElement | null>, number] {
    const ref = useRef<HTMLDivElement | null>(null);
    const [width, setWidth] = useState(520);
    useEffect(() => {
        const element = ref.current;
        if (!element)
            return;
        const measure = () => setWidth(Math.max(260, Math.round(element.clientWidth)));
        measure();
        return getResizeObserver(element, measure, true);
    }, []);
    return [ref, width];
}

function GpuUsageChart({ points, title }: { points: readonly HistoryPoint[], title: string }) {
    const [ref, width] = useWidth();
    const now = points.length > 0 ? points[points.length - 1].t : Date.now();
    const utilName = _("Utilisation");
    const memName = _("Memory");
    const minutes = (t: number) => {
        const m = Math.round((now - t) / 60000);
        return m === 0 ? _("now") : format(_("−$0 min"), m);
    };
    return (
        <div className="aiws-gpu-chart" data-points={points.length} ref={ref}>
            <Chart
                ariaTitle={title}
                containerComponent={<ChartVoronoiContainer labels={({ datum }: { datum: Datum }) => `${datum.name}: ${Math.round(datum.y)} %`} constrainToVisibleArea />}
                domain={{ x: [now - HISTORY_WINDOW_MS, now], y: [0, 100] }}
                height={190}
                width={width}
                padding={{ top: 10, bottom: 70, left: 60, right: 30 }}
                themeColor={ChartThemeColor.multiOrdered}
                legendData={[{ name: utilName }, { name: memName }]}
                legendPosition="bottom"
                legendComponent={<ChartLegend />}
            >
                <ChartAxis tickFormat={minutes} tickCount={5} />
                <ChartAxis dependentAxis showGrid tickValues={[0, 50, 100]} tickFormat={(v: number) => `${v} %`} />
                <ChartGroup>
                    <ChartArea data={series(points, p => p.util, utilName)} interpolation="monotoneX" />
                    <ChartArea data={series(points, p => p.mem, memName)} interpolation="monotoneX" />
                </ChartGroup>
            </Chart>
        </div>
    );
}

// redrawn only when its points change (they are throttled by the card)
export default memo(GpuUsageChart);
