import type { HostStatus, IncidentStatus, ServiceStatus, Severity } from '../api'

export type Tone = 'green' | 'amber' | 'red' | 'orange' | 'sky' | 'slate'

// Full class names, written out so Tailwind finds them.
const tones: Record<Tone, { badge: string; dot: string }> = {
  green: {
    badge: 'bg-emerald-100 text-emerald-900 ring-emerald-600/30 dark:bg-emerald-500/15 dark:text-emerald-200 dark:ring-emerald-400/30',
    dot: 'bg-emerald-600 dark:bg-emerald-400',
  },
  amber: {
    badge: 'bg-amber-100 text-amber-900 ring-amber-600/30 dark:bg-amber-500/15 dark:text-amber-200 dark:ring-amber-400/30',
    dot: 'bg-amber-500 dark:bg-amber-400',
  },
  red: {
    badge: 'bg-red-100 text-red-900 ring-red-600/30 dark:bg-red-500/15 dark:text-red-200 dark:ring-red-400/30',
    dot: 'bg-red-600 dark:bg-red-400',
  },
  orange: {
    badge: 'bg-orange-100 text-orange-900 ring-orange-600/30 dark:bg-orange-500/15 dark:text-orange-200 dark:ring-orange-400/30',
    dot: 'bg-orange-600 dark:bg-orange-400',
  },
  sky: {
    badge: 'bg-sky-100 text-sky-900 ring-sky-600/30 dark:bg-sky-500/15 dark:text-sky-200 dark:ring-sky-400/30',
    dot: 'bg-sky-600 dark:bg-sky-400',
  },
  slate: {
    badge: 'bg-slate-100 text-slate-800 ring-slate-500/30 dark:bg-slate-500/20 dark:text-slate-200 dark:ring-slate-400/30',
    dot: 'bg-slate-500 dark:bg-slate-400',
  },
}

interface BadgeProps {
  tone: Tone
  children: string
  className?: string
}

/** A coloured label; the text always says what the colour means. */
export function Badge({ tone, children, className = '' }: BadgeProps) {
  return (
    <span
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${tones[tone].badge} ${className}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${tones[tone].dot}`} />
      {children}
    </span>
  )
}

export const serviceStatusTone: Record<ServiceStatus, Tone> = {
  up: 'green',
  degraded: 'amber',
  down: 'red',
  paused: 'slate',
  pending: 'sky',
}

export const serviceStatusLabel: Record<ServiceStatus, string> = {
  up: 'Up',
  degraded: 'Degraded',
  down: 'Down',
  paused: 'Paused',
  pending: 'Pending',
}

export function ServiceStatusBadge({ status, className }: { status: ServiceStatus; className?: string }) {
  return (
    <Badge tone={serviceStatusTone[status]} className={className}>
      {serviceStatusLabel[status]}
    </Badge>
  )
}

const incidentStatusTone: Record<IncidentStatus, Tone> = {
  open: 'red',
  investigating: 'amber',
  resolved: 'green',
}

export const incidentStatusLabel: Record<IncidentStatus, string> = {
  open: 'Open',
  investigating: 'Investigating',
  resolved: 'Resolved',
}

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  return <Badge tone={incidentStatusTone[status]}>{incidentStatusLabel[status]}</Badge>
}

const severityTone: Record<Severity, Tone> = {
  low: 'slate',
  medium: 'sky',
  high: 'orange',
  critical: 'red',
}

export const severityLabel: Record<Severity, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={severityTone[severity]}>{severityLabel[severity]}</Badge>
}

const hostStatusTone: Record<HostStatus, Tone> = {
  online: 'green',
  missing: 'red',
  pending: 'sky',
}

export const hostStatusLabel: Record<HostStatus, string> = {
  online: 'Online',
  missing: 'Missing',
  pending: 'Waiting for agent',
}

export function HostStatusBadge({ status, className }: { status: HostStatus; className?: string }) {
  return (
    <Badge tone={hostStatusTone[status]} className={className}>
      {hostStatusLabel[status]}
    </Badge>
  )
}
