import type uPlot from 'uplot'

/** Stands in for uPlot under jsdom: keeps the options and data, draws a placeholder. */
export default class FakeUPlot {
  static instances: FakeUPlot[] = []
  readonly options: uPlot.Options
  data: uPlot.AlignedData
  width: number
  readonly root: HTMLElement

  constructor(options: uPlot.Options, data: uPlot.AlignedData, target: HTMLElement) {
    this.options = options
    this.data = data
    this.width = options.width
    this.root = document.createElement('div')
    this.root.dataset.testid = 'chart'
    target.appendChild(this.root)
    FakeUPlot.instances.push(this)
  }

  setData(data: uPlot.AlignedData): void {
    this.data = data
  }

  setSize({ width }: { width: number; height: number }): void {
    this.width = width
  }

  destroy(): void {
    this.root.remove()
  }
}
