import { useId, useState } from 'react'
import { Button } from '../../components/Button'
import { ButtonLink } from '../../components/ButtonLink'

interface PushUrlNoticeProps {
  serviceId: string
  serviceName: string
  pushUrl: string
}

/** The push URL of a new push monitor: the server shows it this once. */
export function PushUrlNotice({ serviceId, serviceName, pushUrl }: PushUrlNoticeProps) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null)
  const inputId = useId()
  const noteId = useId()

  async function copy() {
    try {
      await navigator.clipboard.writeText(pushUrl)
      setCopied('yes')
    } catch {
      setCopied('failed')
    }
  }

  return (
    <section
      aria-labelledby={`${inputId}-title`}
      className="flex flex-col gap-4 rounded-lg border border-amber-300 bg-amber-50 p-5 dark:border-amber-700 dark:bg-amber-950"
    >
      <h2 id={`${inputId}-title`} className="text-lg font-semibold">
        {serviceName} was added
      </h2>
      <p id={noteId} className="text-sm text-amber-950 dark:text-amber-100">
        Have your job call this URL (GET or POST) on every run. <strong>It is shown only once</strong>: copy
        it now. If it is lost, a new one can be made, and the old one stops working.
      </p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor={inputId} className="text-sm font-medium">
            Push URL
          </label>
          <input
            id={inputId}
            readOnly
            value={pushUrl}
            aria-describedby={noteId}
            onFocus={(event) => event.target.select()}
            className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
          />
        </div>
        <Button onClick={() => void copy()}>Copy</Button>
      </div>
      <p role="status" className="text-sm">
        {copied === 'yes' && 'Copied to the clipboard.'}
        {copied === 'failed' && 'Could not copy: select the URL and copy it by hand.'}
      </p>
      <ButtonLink to={`/services/${serviceId}`} variant="secondary" className="self-start">
        Go to the service
      </ButtonLink>
    </section>
  )
}
