import { useState } from 'react'
import { QueryClientProvider } from '@tanstack/react-query'
import { BrowserRouter } from 'react-router'
import { AppRoutes } from './AppRoutes'
import { useApplyTheme } from './components/useApplyTheme'
import { createQueryClient } from './queryClient'

export function App() {
  const [queryClient] = useState(createQueryClient)
  useApplyTheme()
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  )
}
