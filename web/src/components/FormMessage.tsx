interface FormMessageProps {
  message: string | null
}

export function FormMessage({ message }: FormMessageProps) {
  if (message === null) return null
  return (
    <p
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-800 dark:bg-red-950 dark:text-red-300"
    >
      {message}
    </p>
  )
}
