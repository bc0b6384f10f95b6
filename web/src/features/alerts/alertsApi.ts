import { call, endpoints } from '../../api'
import type { AlertStatus, ChannelIn, ChannelPatch, RuleIn, RulePatch } from '../../api'

export const alertsApi = {
  alerts: (status: AlertStatus | undefined, before: string | null) =>
    call(endpoints.listAlerts, { query: { status, before: before ?? undefined } }),
  alert: (id: string) => call(endpoints.getAlert, { params: { alert_id: id } }),
  count: (status: AlertStatus) => call(endpoints.countAlerts, { query: { status } }),

  rules: () => call(endpoints.listRules),
  createRule: (input: RuleIn) => call(endpoints.createRule, { body: input }),
  updateRule: (id: string, changes: RulePatch) =>
    call(endpoints.updateRule, { params: { rule_id: id }, body: changes }),
  deleteRule: (id: string) => call(endpoints.deleteRule, { params: { rule_id: id } }),

  channels: () => call(endpoints.listChannels),
  createChannel: (input: ChannelIn) => call(endpoints.createChannel, { body: input }),
  updateChannel: (id: string, changes: ChannelPatch) =>
    call(endpoints.updateChannel, { params: { channel_id: id }, body: changes }),
  deleteChannel: (id: string) => call(endpoints.deleteChannel, { params: { channel_id: id } }),
  testChannel: (id: string) => call(endpoints.testChannel, { params: { channel_id: id } }),
  deliveries: (id: string) =>
    call(endpoints.channelDeliveries, { params: { channel_id: id }, query: { limit: 10 } }),
}
