/**
 * The parts of node-media-server 4.4.3 (no types of its own) that the local provider touches.
 * Fields were read from node_modules/node-media-server/src; keep this file in step with the
 * installed version. No top-level import: these are ambient module declarations.
 */

declare module 'node-media-server' {
  namespace NodeMediaServer {
    /** One parsed FLV/RTMP media message (src/core/avpacket.js). */
    export interface NmsPacket {
      /** 8 audio, 9 video, 18 script data. */
      codec_type: number;
      codec_id: number;
      /**
       * What the packet is (src/protocol/flv.js parserTag): 0 audio sequence header, 1 audio frame,
       * 2 video sequence header, 3 video keyframe, 4 video inter frame, 5 script data (metadata),
       * 6 video HDR metadata.
       */
      flags: number;
      /** Milliseconds, the publisher's clock. */
      dts: number;
      pts: number;
      /** Payload bytes. */
      size: number;
    }

    /** src/server/broadcast_server.js: one stream path, its publisher and its players. */
    export interface NmsBroadcast {
      streamPath: string;
      publisher: NmsSession | null;
      subscribers: Map<string, NmsSession>;
      /** How long a disconnected publisher's stream is kept for a reconnect before donePublish. */
      publishGraceMs: number;
      getPublishStatus(): 'publishing' | 'reconnecting' | 'idle';
      /** Ends the publish now (emits donePublish). Internal to NMS; used only to cut a grace short. */
      _finishPublish(): void;
    }

    /** src/session/base_session.js and its RTMP/FLV subclasses, as the event listeners receive them. */
    export interface NmsSession {
      id: string;
      /** "address:port"; '' for NMS's internal sessions (recording, relay). */
      ip: string;
      protocol: 'rtmp' | 'flv' | string;
      isPublisher: boolean;
      streamApp: string;
      streamName: string;
      streamPath: string;
      /** The stream URL's query; NMS's signed-URL check reads `sign` from it. */
      streamQuery: Record<string, string | string[] | undefined>;
      broadcast: NmsBroadcast;
      createTime: number;
    /** ms since epoch when the connection closed; 0 while open. */
    endTime: number;
      videoWidth: number;
      videoHeight: number;
      videoCodec: number;
      audioCodec: number;
      inBytes: number;
      /** RTMP sessions: the TCP connection. */
      socket?: import('node:net').Socket;
      /** RTMP sessions: the protocol parser; every audio/video message goes through onPacketCallback. */
      rtmp?: { onPacketCallback: (packet: NmsPacket) => void };
      /** FLV sessions: the request that opened them (HTTP or the WebSocket upgrade). */
      req?: import('node:http').IncomingMessage;
      close(): void;
    }

    export interface NmsConfig {
      bind?: string;
      rtmp?: { port?: number };
      http?: { port?: number };
      store?: { path?: string };
      record?: { path?: string; auto?: boolean };
      webadmin?: { enable?: boolean };
      auth?: { publish?: boolean; play?: boolean; secret?: string };
    }
  }

  class NodeMediaServer {
    constructor(config: NodeMediaServer.NmsConfig, configPath?: string);
    httpServer: {
      /** Present when config.http.port is set: the plain HTTP server express and ws are attached to. */
      httpServer?: import('node:http').Server;
      wsServer?: import('node:events').EventEmitter;
      run(): void;
    };
    rtmpServer: { tcpServer?: import('node:net').Server };
    /** src/server/record_server.js (running only when config.record.path is set and the store opened). */
    recordServer: {
      _running: boolean;
      _activeRecords: Map<string, { filePath: string; publisherId: string }>;
    };
    store: { opened: boolean; _onSignal?: (...args: unknown[]) => void };
    on(eventName: string, listener: (session: NodeMediaServer.NmsSession) => void): void;
    run(): Promise<void>;
    stop(): Promise<void>;
  }
  export = NodeMediaServer;
}

declare module 'node-media-server/src/core/context.js' {
  import type { EventEmitter } from 'node:events';
  import type { NmsBroadcast, NmsConfig, NmsSession } from 'node-media-server';
  /** Module-level state shared by every NodeMediaServer in the process. */
  const Context: {
    config: NmsConfig;
    sessions: Map<string, NmsSession>;
    broadcasts: Map<string, NmsBroadcast>;
    eventEmitter: EventEmitter;
  };
  export = Context;
}

declare module 'node-media-server/src/core/logger.js' {
  /** A module-level singleton that writes to console.log; the NodeMediaServer constructor sets level 'debug'. */
  const logger: {
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
    levels: string[];
    log(message: string, level?: string): void;
  };
  export = logger;
}

declare module 'node-media-server/src/session/record_session.js' {
  import type { NmsSession } from 'node-media-server';
  /** src/session/record_session.js: a player of the broadcast that writes the FLV it receives to a file. */
  class NmsRecordSession {
    constructor(publisher: NmsSession, filePath: string);
    /** Registered in NMS's session table like any session. */
    id: string;
    streamName: string;
    streamPath: string;
    filePath: string;
    publisherId: string;
    /** ms since epoch when the record stopped; 0 while recording. */
    endTime: number;
    fileStream: import('node:fs').WriteStream;
    run(): void;
  }
  export = NmsRecordSession;
}
