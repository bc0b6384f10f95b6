import { api } from '../../api'
import type { components } from '../../api/schema'

type Schemas = components['schemas']
export type MaintenanceIn = Schemas['MaintenanceIn']
export type MaintenancePatch = Schemas['MaintenancePatch']
export type MaintenanceOut = Schemas['MaintenanceOut']

const byId = (id: string) => ({ path: { window_id: id } })

export const maintenanceApi = {
  list: () => api.get('/maintenance'),
  create: (input: MaintenanceIn) => api.post('/maintenance', { body: input }),
  update: (id: string, changes: MaintenancePatch) =>
    api.patch('/maintenance/{window_id}', { params: byId(id), body: changes }),
  remove: (id: string) => api.delete('/maintenance/{window_id}', { params: byId(id) }),
}
