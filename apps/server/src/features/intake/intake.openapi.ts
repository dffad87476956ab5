import { z } from 'zod';
import { defineApi, json, named } from '../openapi';
import {
  alertmanagerPayloadSchema,
  callEventSchema,
  chatTranscriptSchema,
  deviceInputSchema,
  deviceSchema,
  intakeAcceptedSchema,
  intakeSettingsSchema,
  integrationCreatedSchema,
  integrationCreateSchema,
  integrationSchema,
  metricsPayloadSchema,
} from './intake.schemas';

const accepted = json(
  named(intakeAcceptedSchema, 'IntakeAccepted'),
  'Taken (duplicates without a second effect)',
);
const device = named(deviceSchema, 'MonitoredDevice');
const idParams = z.object({ id: z.string().min(1).max(200) });

export const intakeApi = defineApi('intake', [
  {
    method: 'post',
    path: '/api/integrations',
    operationId: 'createIntegration',
    tagDescription:
      'Intake (issue 19): integration tokens, the monitoring, hotline and chat doors, and their rules. docs/integrations.md shows how to point Alertmanager, Zabbix, Grafana and a CTI system here.',
    summary: 'Create an integration token (shown once)',
    auth: 'staff',
    roles: ['admin'],
    body: integrationCreateSchema,
    responses: { 201: json(integrationCreatedSchema, 'The token, shown this once') },
    errors: [409],
    example: { body: { name: 'Prometheus Alertmanager', kind: 'alertmanager' } },
  },
  {
    method: 'get',
    path: '/api/integrations',
    operationId: 'listIntegrations',
    summary: 'List integration tokens (never the tokens)',
    auth: 'staff',
    roles: ['admin'],
    responses: {
      200: json(
        z.object({ integrations: z.array(named(integrationSchema, 'Integration')) }),
        'The integrations',
      ),
    },
    example: {},
  },
  {
    method: 'delete',
    path: '/api/integrations/{id}',
    operationId: 'revokeIntegration',
    summary: 'Revoke an integration token',
    auth: 'staff',
    roles: ['admin'],
    params: idParams,
    responses: { 204: { description: 'Revoked: the token is refused from now on' } },
    errors: [404],
    example: { params: { id: 'integration-id' } },
  },
  {
    method: 'get',
    path: '/api/intake/settings',
    operationId: 'getIntakeSettings',
    summary: 'The intake rules (severity mapping, device health, answer target)',
    auth: 'staff',
    roles: ['admin'],
    responses: { 200: json(named(intakeSettingsSchema, 'IntakeSettings'), 'The rules in force') },
    example: {},
  },
  {
    method: 'put',
    path: '/api/intake/settings',
    operationId: 'putIntakeSettings',
    summary: 'Set the intake rules',
    auth: 'staff',
    roles: ['admin'],
    body: intakeSettingsSchema,
    responses: { 200: json(intakeSettingsSchema, 'Saved') },
    example: {
      body: {
        severityPriority: { critical: 'P1', warning: 'P2', info: 'P3', default: 'P3' },
        resolveOnRecovery: false,
        alertDedupeSeconds: 60,
        health: { overRun: 3, redRatio: 1.5, recoverRun: 3 },
        answerSeconds: 30,
      },
    },
  },
  {
    method: 'get',
    path: '/api/intake/devices',
    operationId: 'listMonitoredDevices',
    summary: 'List monitored devices and their thresholds',
    auth: 'staff',
    roles: ['admin'],
    responses: { 200: json(z.object({ devices: z.array(device) }), 'The devices') },
    example: {},
  },
  {
    method: 'put',
    path: '/api/intake/devices/{id}',
    operationId: 'putMonitoredDevice',
    summary: 'Create or change a monitored device (organisation, operations lead, thresholds)',
    auth: 'staff',
    roles: ['admin'],
    params: idParams,
    body: deviceInputSchema,
    responses: { 200: json(device, 'Changed'), 201: json(device, 'Created') },
    example: {
      params: { id: 'gw-shanghai-01' },
      body: { name: 'Shanghai gateway 1', thresholds: { cpu_load: 80, latency_ms: 50 } },
    },
  },
  {
    method: 'delete',
    path: '/api/intake/devices/{id}',
    operationId: 'deleteMonitoredDevice',
    summary: 'Delete a monitored device (its health states go with it)',
    auth: 'staff',
    roles: ['admin'],
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
    errors: [404],
    example: { params: { id: 'gw-old' } },
  },
  {
    method: 'post',
    path: '/api/intake/alertmanager',
    operationId: 'intakeAlertmanager',
    summary:
      'Prometheus Alertmanager webhook (version 4): firing opens a ticket, repeats count, resolved records the recovery',
    auth: 'integration',
    body: alertmanagerPayloadSchema,
    responses: { 202: accepted },
    errors: [409, 503],
    example: {
      body: {
        version: '4',
        groupKey: '{}:{alertname="HighLatency"}',
        status: 'firing',
        receiver: 'dutydesk',
        groupLabels: { alertname: 'HighLatency' },
        commonLabels: { alertname: 'HighLatency', severity: 'warning' },
        commonAnnotations: {},
        externalURL: 'http://alertmanager.example:9093',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'HighLatency', severity: 'warning', instance: 'gw-1:9100' },
            annotations: { summary: 'Latency over 200 ms on gw-1' },
            startsAt: '2026-12-04T10:00:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus.example:9090/graph',
            fingerprint: 'openapi-example-1',
          },
        ],
      },
    },
  },
  {
    method: 'post',
    path: '/api/intake/metrics',
    operationId: 'intakeMetrics',
    summary:
      'Device metric samples (up to 10 000): the device-health state machine raises orange and red warnings',
    auth: 'integration',
    body: metricsPayloadSchema,
    responses: { 202: accepted },
    errors: [409, 503],
    example: {
      body: {
        samples: [
          { device: 'gw-shanghai-01', metric: 'cpu_load', value: 42, at: '2026-12-04T10:00:00Z' },
          { device: 'rt-beijing-02', metric: 'latency_ms', value: 12, threshold: 50 },
        ],
      },
    },
  },
  {
    method: 'post',
    path: '/api/intake/calls',
    operationId: 'intakeCall',
    summary:
      'A hotline call event from the CTI: opens or joins a ticket, records wait and answer time',
    auth: 'integration',
    body: callEventSchema,
    responses: { 202: accepted },
    errors: [409, 503],
    example: {
      body: {
        callId: 'openapi-call-1',
        caller: '+86 21 5555 0101',
        queuedAt: '2026-12-04T10:00:00Z',
        answeredAt: '2026-12-04T10:00:25Z',
        agent: '8001',
        endedAt: '2026-12-04T10:04:00Z',
        recordingUrl: 'https://cti.example/recordings/openapi-call-1.wav',
      },
    },
  },
  {
    method: 'post',
    path: '/api/intake/chats',
    operationId: 'intakeChat',
    summary:
      'A chat transcript: opens a ticket for the visitor (or joins the chat\u2019s ticket) with the transcript',
    auth: 'integration',
    body: chatTranscriptSchema,
    responses: { 202: accepted },
    errors: [409, 503],
    example: {
      body: {
        chatId: 'openapi-chat-1',
        customer: { name: '王芳', phone: '+86 10 5555 0202' },
        startedAt: '2026-12-04T10:00:00Z',
        answeredAt: '2026-12-04T10:00:10Z',
        endedAt: '2026-12-04T10:06:00Z',
        messages: [
          { from: 'customer', text: '打印机无法连接', at: '2026-12-04T10:00:00Z' },
          { from: 'agent', text: '请重启打印机', at: '2026-12-04T10:00:40Z' },
        ],
      },
    },
  },
]);
