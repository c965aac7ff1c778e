'use client';

import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatUnits } from '../../lib/money';

export interface ChartDay {
  day: number;
  supply: bigint;
  minted: bigint;
  burned: bigint;
  houseTake: bigint;
}

/** Money supply over the simulated month, with each day's minting and burning. */
export function SimulationChart({
  days,
  decimals,
  symbol,
}: {
  days: ChartDay[];
  decimals: number;
  symbol: string;
}) {
  const scale = 10 ** decimals;
  const data = days.map((d) => ({
    day: d.day,
    supply: Number(d.supply) / scale,
    minted: Number(d.minted) / scale,
    burned: Number(d.burned + (d.houseTake > 0n ? d.houseTake : 0n)) / scale,
  }));
  const last = days.at(-1);
  return (
    <figure>
      <div className="h-56 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart
            data={data}
            margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
            title="Money supply, minted and burned per simulated day"
          >
            <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
            <XAxis dataKey="day" tick={{ fontSize: 11 }} />
            <YAxis tick={{ fontSize: 11 }} width={56} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Area
              type="monotone"
              dataKey="supply"
              name="Money supply"
              stroke="#4f46e5"
              fill="#6366f1"
              fillOpacity={0.25}
            />
            <Line type="monotone" dataKey="minted" name="Minted per day" stroke="#059669" dot={false} />
            <Line type="monotone" dataKey="burned" name="Burned + house take" stroke="#dc2626" dot={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        {last
          ? `After ${last.day} simulated days: ${symbol} ${formatUnits(last.supply, decimals)} in circulation.`
          : 'No simulated days.'}
      </figcaption>
    </figure>
  );
}
