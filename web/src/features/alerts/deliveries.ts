import type { DeliveryOut, DeliveryStatus } from '../../api'
import type { Tone } from '../../components/Badge'

/** One attempt of a delivery, as the delivery job logs it. */
export interface DeliveryAttempt {
  at: string
  ok: boolean
  error: string | null
}

export const deliveryTone: Record<DeliveryStatus, Tone> = {
  pending: 'sky',
  retrying: 'amber',
  sent: 'green',
  failed: 'red',
}

export const deliveryLabel: Record<DeliveryStatus, string> = {
  pending: 'Pending',
  retrying: 'Retrying',
  sent: 'Sent',
  failed: 'Failed',
}

// The server types the log loosely, so each attempt is checked rather than trusted.
export function attemptsOf(delivery: DeliveryOut): DeliveryAttempt[] {
  return delivery.log.flatMap((entry) =>
    typeof entry.at === 'string'
      ? [{ at: entry.at, ok: entry.ok === true, error: typeof entry.error === 'string' ? entry.error : null }]
      : [],
  )
}
