import { useState } from 'react'
import { Button } from './Button'

/** Copies `text` to the clipboard and says so; `label` names what is copied for screen readers. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant="secondary"
        size="sm"
        aria-label={`Copy ${label}`}
        onClick={() => {
          navigator.clipboard
            .writeText(text)
            .then(() => setState('copied'))
            .catch(() => setState('failed'))
        }}
      >
        Copy
      </Button>
      <span role="status" className="text-sm text-slate-600 dark:text-slate-400">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select the text and copy it by hand' : ''}
      </span>
    </span>
  )
}

/** A secret shown once: the value in a read-only box with a copy button. */
export function SecretValue({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex flex-col gap-1">
      <span className="text-sm font-medium text-slate-700 dark:text-slate-200">{label}</span>
      <div className="flex flex-wrap items-start gap-2">
        <code
          aria-label={label}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm break-all dark:border-slate-700 dark:bg-slate-950"
        >
          {value}
        </code>
        <CopyButton text={value} label={label.toLowerCase()} />
      </div>
    </div>
  )
}
