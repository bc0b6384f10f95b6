import { api } from '../../api'
import type { AlertStatus, ChannelIn, ChannelPatch, RuleIn, RulePatch } from '../../api'

const rule = (id: string) => ({ path: { rule_id: id } })
const channel = (id: string) => ({ path: { channel_id: id } })

export const alertsApi = {
  alerts: (status: AlertStatus | undefined, before: string | null) =>
    api.get('/alerts', { params: { query: { status, before: before ?? undefined } } }),
  alert: (id: string) => api.get('/alerts/{alert_id}', { params: { path: { alert_id: id } } }),
  count: (status: AlertStatus) => api.get('/alerts/count', { params: { query: { status } } }),

  rules: () => api.get('/alert-rules'),
  createRule: (input: RuleIn) => api.post('/alert-rules', { body: input }),
  updateRule: (id: string, changes: RulePatch) => api.patch('/alert-rules/{rule_id}', { params: rule(id), body: changes }),
  deleteRule: (id: string) => api.delete('/alert-rules/{rule_id}', { params: rule(id) }),

  channels: () => api.get('/channels'),
  createChannel: (input: ChannelIn) => api.post('/channels', { body: input }),
  updateChannel: (id: string, changes: ChannelPatch) =>
    api.patch('/channels/{channel_id}', { params: channel(id), body: changes }),
  deleteChannel: (id: string) => api.delete('/channels/{channel_id}', { params: channel(id) }),
  testChannel: (id: string) => api.post('/channels/{channel_id}/test', { params: channel(id) }),
  deliveries: (id: string) =>
    api.get('/channels/{channel_id}/deliveries', { params: { ...channel(id), query: { limit: 10 } } }),
}
