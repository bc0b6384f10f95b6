import type { Condition, TargetKind } from '../../api'

// What each condition watches and how its threshold reads, mirroring the
// server's condition table (backend domain/alerts/conditions.py).

export interface ConditionInfo {
  label: string
  target: TargetKind
  /** The threshold's unit; null when the condition is a state and takes no threshold. */
  unit: 'ms' | '%' | 'days' | null
  /** Fires when the value goes above the threshold (false: below, as for certificate days). */
  above: boolean
  /** Measured over the rule's window rather than per check or sample. */
  windowed: boolean
  limits: readonly [number, number]
}

const state = (label: string, target: TargetKind): ConditionInfo => ({
  label,
  target,
  unit: null,
  above: true,
  windowed: false,
  limits: [0, 0],
})

const percent = (label: string, target: TargetKind, windowed = false): ConditionInfo => ({
  label,
  target,
  unit: '%',
  above: true,
  windowed,
  limits: [0, 100],
})

export const CONDITION_INFO: Record<Condition, ConditionInfo> = {
  service_down: state('Service down', 'service'),
  service_degraded: state('Service degraded', 'service'),
  latency_avg: { label: 'Average latency', target: 'service', unit: 'ms', above: true, windowed: true, limits: [1, 600_000] },
  latency_p95: { label: 'p95 latency', target: 'service', unit: 'ms', above: true, windowed: true, limits: [1, 600_000] },
  error_rate: percent('Error rate', 'service', true),
  tls_expiry: { label: 'TLS certificate expiry', target: 'service', unit: 'days', above: false, windowed: false, limits: [1, 365] },
  cpu: percent('Host CPU', 'host'),
  ram: percent('Host RAM', 'host'),
  disk: percent('Host disk', 'host'),
  host_missing: state('Host missing', 'host'),
}

export function takesThreshold(condition: Condition): boolean {
  return CONDITION_INFO[condition].unit !== null
}

/** "> 90 %", "< 14 days"; "" for state conditions. */
export function thresholdText(condition: Condition, threshold: number | null): string {
  const info = CONDITION_INFO[condition]
  if (info.unit === null || threshold === null) return ''
  const unit = info.unit === '%' ? ' %' : ` ${info.unit}`
  return `${info.above ? '>' : '<'} ${threshold}${unit}`
}
