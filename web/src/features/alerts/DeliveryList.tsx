import type { DeliveryOut } from '../../api'
import { Badge } from '../../components/Badge'
import { formatDateTime } from '../../components/format'
import { attemptsOf, deliveryLabel, deliveryTone } from './deliveries'

/** Deliveries with every attempt: when, whether it went through, and why not. */
export function DeliveryList({ deliveries, showChannel }: { deliveries: readonly DeliveryOut[]; showChannel: boolean }) {
  return (
    <ul className="flex flex-col gap-3">
      {deliveries.map((delivery) => {
        const attempts = attemptsOf(delivery)
        const kinds = delivery.kinds ?? []
        return (
          <li key={delivery.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={deliveryTone[delivery.status]}>{deliveryLabel[delivery.status]}</Badge>
              <span className="font-medium">{showChannel ? delivery.channel_name : delivery.title}</span>
              {delivery.test && <Badge tone="slate">Test</Badge>}
              {kinds.length > 0 && (
                <span className="text-slate-600 dark:text-slate-400">({kinds.join(', ')})</span>
              )}
              <span className="text-slate-600 dark:text-slate-400">
                {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'} ·{' '}
                <time dateTime={delivery.created_at}>{formatDateTime(delivery.created_at)}</time>
              </span>
            </div>
            {delivery.last_error !== null && (
              <p className="mt-1 break-words text-red-700 dark:text-red-300">Last error: {delivery.last_error}</p>
            )}
            {attempts.length > 0 && (
              <ol aria-label="Attempts" className="mt-2 flex flex-col gap-1 pl-4 text-slate-700 dark:text-slate-300">
                {attempts.map((attempt, index) => (
                  <li key={index} className="break-words">
                    <time dateTime={attempt.at}>{formatDateTime(attempt.at)}</time>
                    {' · '}
                    {attempt.ok ? 'delivered' : `failed${attempt.error ? `: ${attempt.error}` : ''}`}
                  </li>
                ))}
              </ol>
            )}
          </li>
        )
      })}
    </ul>
  )
}
