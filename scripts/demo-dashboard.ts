// The Dashboard 2 (@flowfuse/node-red-dashboard) part of the demo flow: one dark wallboard page with
// the agents on the left, feed health, queues and the agents-by-state chart on the right.
import { CHART_SERIES } from './demo-functions';
import { agentsTemplate, alertsTemplate, feedTemplate, queuesTemplate, wallboardStyle } from './demo-templates';

export type FlowNode = Record<string, unknown> & { id: string; type: string };

/** The dashboard lives at /dashboard; the wallboard page at /dashboard/wallboard. */
export const DASHBOARD_PATH = '/dashboard';
export const WALLBOARD_PAGE_PATH = '/wallboard';

export const DASHBOARD_IDS = {
  base: 'aa-demo-ui-base',
  theme: 'aa-demo-ui-theme',
  page: 'aa-demo-ui-page',
  agentsGroup: 'aa-demo-ui-group-agents',
  sideGroup: 'aa-demo-ui-group-side',
  style: 'aa-demo-ui-style',
  agentsTable: 'aa-demo-ui-agents',
  feed: 'aa-demo-ui-feed',
  alerts: 'aa-demo-ui-alerts',
  queues: 'aa-demo-ui-queues',
  chart: 'aa-demo-ui-chart',
} as const;

/** Chart colours in CHART_SERIES order: the same hues as the state pills of the table. */
const SERIES_COLOURS: Record<string, string> = {
  READY: '#22c55e',
  NOT_READY: '#ef4444',
  PENDING_NOT_READY: '#f59e0b',
  PENDING_LOGIN: '#3b82f6',
};

/** Config nodes (no tab): base, theme, page and the two column groups. */
export function dashboardConfigNodes(): FlowNode[] {
  const ids = DASHBOARD_IDS;
  return [
    {
      id: ids.base,
      type: 'ui-base',
      name: 'Avaya Analytics',
      path: DASHBOARD_PATH,
      appIcon: '',
      includeClientData: true,
      acceptsClientConfig: ['ui-notification', 'ui-control'],
      showPathInSidebar: false,
      headerContent: 'dashpage',
      navigationStyle: 'none',
      titleBarStyle: 'default',
      showReconnectNotification: true,
      notificationDisplayTime: 1,
      showDisconnectNotification: true,
      allowInstall: false,
    },
    {
      id: ids.theme,
      type: 'ui-theme',
      name: 'Wallboard (dark)',
      colors: {
        surface: '#0b1220',
        primary: '#3b82f6',
        bgPage: '#0b1220',
        groupBg: '#111a2b',
        groupOutline: '#1f2a3d',
      },
      sizes: { density: 'compact', pagePadding: '12px', groupGap: '12px', groupBorderRadius: '6px', widgetGap: '10px' },
    },
    {
      id: ids.page,
      type: 'ui-page',
      name: 'Wallboard',
      ui: ids.base,
      path: WALLBOARD_PAGE_PATH,
      icon: 'view-dashboard',
      layout: 'grid',
      theme: ids.theme,
      breakpoints: [
        { name: 'Default', px: 0, cols: 3 },
        { name: 'Tablet', px: 576, cols: 6 },
        { name: 'Small Desktop', px: 768, cols: 9 },
        { name: 'Desktop', px: 1024, cols: 12 },
      ],
      order: 1,
      className: '',
      visible: 'true',
      disabled: 'false',
    },
    group(ids.agentsGroup, 'Agents', 7, 1),
    group(ids.sideGroup, 'Feed and queues', 5, 2),
  ];
}

function group(id: string, name: string, width: number, order: number): FlowNode {
  return {
    id,
    type: 'ui-group',
    name,
    page: DASHBOARD_IDS.page,
    width,
    height: 1,
    order,
    showTitle: true,
    className: '',
    visible: 'true',
    disabled: 'false',
    groupType: 'default',
  };
}

interface Placement {
  z: string;
  x: number;
  y: number;
}

/** A ui-template: a widget in a group, or (`page:style`) CSS for a whole page. */
function template(
  id: string,
  name: string,
  format: string,
  at: Placement,
  place: { group: string; order: number } | { pageStyle: string },
): FlowNode {
  const widget = 'group' in place;
  return {
    id,
    type: 'ui-template',
    ...at,
    group: widget ? place.group : '',
    page: widget ? '' : place.pageStyle,
    ui: '',
    name,
    order: widget ? place.order : 0,
    width: 0,
    height: 0,
    head: '',
    format,
    storeOutMessages: true, // a browser that opens the page later gets the latest msg at once
    passthru: false,
    resendOnRefresh: true,
    templateScope: widget ? 'local' : 'page:style',
    className: '',
    wires: [[]],
  };
}

/** Where each widget sits in the editor: x, and y per widget. */
export interface WidgetPlaces {
  z: string;
  x: number;
  y: { agents: number; chart: number; queues: number; feed: number; alerts: number; style: number };
}

export function dashboardWidgets(places: WidgetPlaces): FlowNode[] {
  const ids = DASHBOARD_IDS;
  const at = (which: keyof WidgetPlaces['y']): Placement => ({ z: places.z, x: places.x, y: places.y[which] });
  return [
    template(ids.style, 'wallboard style', wallboardStyle, at('style'), { pageStyle: ids.page }),
    template(ids.agentsTable, 'agents table', agentsTemplate, at('agents'), { group: ids.agentsGroup, order: 1 }),
    template(ids.queues, 'queue figures', queuesTemplate, at('queues'), { group: ids.sideGroup, order: 2 }),
    {
      id: ids.chart,
      type: 'ui-chart',
      ...at('chart'),
      group: ids.sideGroup,
      name: 'agents by state',
      label: 'Agents by state',
      order: 3,
      chartType: 'line',
      // Each msg carries an array of { series, count } (see agentBoardFunction). Not one object with a
      // "json" category: Dashboard 2 (1.31) then stores the points as one entry that its removeOlder
      // pruning drops at once, and the chart stays empty.
      category: 'series',
      categoryType: 'property',
      xAxisLabel: '',
      xAxisProperty: '',
      xAxisPropertyType: 'timestamp',
      xAxisType: 'time',
      xAxisFormat: '',
      xAxisFormatType: 'auto',
      xmin: '',
      xmax: '',
      yAxisLabel: 'agents',
      yAxisProperty: 'count',
      yAxisPropertyType: 'property',
      ymin: '0',
      ymax: '',
      bins: 10,
      action: 'append',
      stackSeries: false,
      pointShape: 'false',
      pointRadius: 4,
      showLegend: true,
      removeOlder: 1,
      removeOlderUnit: '3600',
      removeOlderPoints: '',
      colors: [
        ...CHART_SERIES.map(([, state]) => SERIES_COLOURS[state]),
        '#a78bfa',
        '#94a3b8',
        '#f472b6',
        '#2dd4bf',
        '#e5e7eb',
      ],
      textColor: ['#94a3b8'],
      textColorDefault: false,
      gridColor: ['#1f2a3d'],
      gridColorDefault: false,
      width: 0,
      height: 5,
      className: '',
      interpolation: 'step',
      wires: [[]],
    },
    template(ids.feed, 'feed health', feedTemplate, at('feed'), { group: ids.sideGroup, order: 1 }),
    template(ids.alerts, 'raised alerts', alertsTemplate, at('alerts'), { group: ids.sideGroup, order: 4 }),
  ];
}
