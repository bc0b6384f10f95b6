import type { ServiceStatus } from '../../api'
import type { ToastTone } from '../../components/toastStore'
import { itemsOf } from './events'
import type { AlertEvent, ServiceStatusEvent } from './events'

const phrase: Record<ServiceStatus, { text: string; tone: ToastTone }> = {
  up: { text: 'is up', tone: 'success' },
  degraded: { text: 'is degraded', tone: 'warning' },
  down: { text: 'is down', tone: 'error' },
  paused: { text: 'was paused', tone: 'info' },
  pending: { text: 'is waiting for its first check', tone: 'info' },
}

/** The toast for a `service.status` event, or null when it is not worth one. */
export function serviceStatusToast(data: unknown): { tone: ToastTone; title: string; body?: string } | null {
  const [event] = itemsOf<ServiceStatusEvent>(data, 'service_id')
  if (event === undefined || event.to === 'pending' || !(event.to in phrase)) return null
  const { text, tone } = phrase[event.to]
  const recovered = event.to === 'up' && (event.from === 'down' || event.from === 'degraded')
  return {
    tone,
    title: `${event.name} ${recovered ? 'is up again' : text}`,
    body: event.to === 'down' && event.error ? event.error : undefined,
  }
}

/** The toast for an `alert.firing` event; none for suppressed alerts, which are not sent either. */
export function alertToast(data: unknown): { tone: ToastTone; title: string; body?: string } | null {
  const [event] = itemsOf<AlertEvent>(data, 'alert_id')
  if (event === undefined || event.suppressed) return null
  return {
    tone: event.severity === 'critical' || event.severity === 'high' ? 'error' : 'warning',
    title: `${event.rule_name}: ${event.subject_name}`,
    body: event.summary === '' ? undefined : event.summary,
  }
}
