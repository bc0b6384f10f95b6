import { create } from 'zustand'

export type ToastTone = 'info' | 'success' | 'warning' | 'error'

export interface Toast {
  id: number
  tone: ToastTone
  title: string
  body?: string
}

interface ToastState {
  toasts: Toast[]
  push: (toast: Omit<Toast, 'id'>) => number
  dismiss: (id: number) => void
}

/** How long a toast stays; errors stay a little longer so they can be read. */
export const TOAST_MS: Record<ToastTone, number> = { info: 6_000, success: 6_000, warning: 8_000, error: 10_000 }
// A burst (many services changing at once) must not bury the page.
export const MAX_TOASTS = 5

let nextId = 1

export const useToasts = create<ToastState>()((set, get) => ({
  toasts: [],
  push: (toast) => {
    const id = nextId++
    set(({ toasts }) => ({ toasts: [...toasts, { ...toast, id }].slice(-MAX_TOASTS) }))
    setTimeout(() => get().dismiss(id), TOAST_MS[toast.tone])
    return id
  },
  dismiss: (id) => set(({ toasts }) => ({ toasts: toasts.filter((toast) => toast.id !== id) })),
}))

/** Shows a toast from outside React (event handlers, mutation callbacks). */
export function toast(tone: ToastTone, title: string, body?: string): number {
  return useToasts.getState().push({ tone, title, body })
}
