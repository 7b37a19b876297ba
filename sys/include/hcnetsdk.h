/*
 * hcnetsdk.h -- hcnetsdk-rs's own C declarations of the Hikvision HCNetSDK public ABI.
 *
 * Written for this project from the facts recorded in the project's ABI reference
 * (names, values, signatures, and struct layouts measured on Linux x86_64). It is not
 * the vendor header and contains none of its text. bindgen turns it into
 * sys/src/bindings.rs (`cargo run -p xtask -- bindgen`).
 *
 * Plain C: no C++ default arguments, no calling-convention macros (the Rust side uses
 * `extern "system"`, which is stdcall on 32-bit Windows and the C ABI elsewhere).
 */
#ifndef HCNETSDK_RS_H
#define HCNETSDK_RS_H

/* ---- Scalar types (Linux x86_64 widths; LONG is 32-bit everywhere) ---- */
typedef unsigned int DWORD;
typedef int LONG;
typedef unsigned short WORD;
typedef unsigned char BYTE;
typedef unsigned int UINT;
typedef unsigned long long UINT64;
typedef int BOOL;
typedef void *LPVOID;
typedef DWORD *LPDWORD;
/* HWND: `unsigned int` on Linux, a pointer on Windows. The Rust side replaces this
 * typedef with a cfg-dependent alias so both layouts come out right. */
#if defined(_WIN32)
typedef void *HWND;
#else
typedef unsigned int HWND;
#endif

/* Enum-typed parameters and fields: C enums with non-negative values are 4-byte
 * unsigned ints; the enumerators are the #defines in the constants section. */
typedef unsigned int NET_SDK_INIT_CFG_TYPE;
typedef unsigned int NET_SDK_LOCAL_CFG_TYPE;
typedef unsigned int INIT_CFG_MAX_NUM;


/* ---- Constants ---- */

/* ptz control command (NET_DVR_PTZControl*) */
#define LIGHT_PWRON 2
#define WIPER_PWRON 3
#define FAN_PWRON 4
#define HEATER_PWRON 5
#define AUX_PWRON1 6
#define AUX_PWRON2 7
#define ZOOM_IN 11
#define ZOOM_OUT 12
#define FOCUS_NEAR 13
#define FOCUS_FAR 14
#define IRIS_OPEN 15
#define IRIS_CLOSE 16
#define TILT_UP 21
#define TILT_DOWN 22
#define PAN_LEFT 23
#define PAN_RIGHT 24
#define UP_LEFT 25
#define UP_RIGHT 26
#define DOWN_LEFT 27
#define DOWN_RIGHT 28
#define PAN_AUTO 29
#define PAN_CIRCLE 50
#define DRAG_PTZ 51
#define LINEAR_SCAN 52
#define POPUP_MENU 56
#define TILT_DOWN_ZOOM_IN 58
#define TILT_DOWN_ZOOM_OUT 59
#define PAN_LEFT_ZOOM_IN 60
#define PAN_LEFT_ZOOM_OUT 61
#define PAN_RIGHT_ZOOM_IN 62
#define PAN_RIGHT_ZOOM_OUT 63
#define UP_LEFT_ZOOM_IN 64
#define UP_LEFT_ZOOM_OUT 65
#define UP_RIGHT_ZOOM_IN 66
#define UP_RIGHT_ZOOM_OUT 67
#define DOWN_LEFT_ZOOM_IN 68
#define DOWN_LEFT_ZOOM_OUT 69
#define DOWN_RIGHT_ZOOM_IN 70
#define DOWN_RIGHT_ZOOM_OUT 71
#define TILT_UP_ZOOM_IN 72
#define TILT_UP_ZOOM_OUT 73

/* ptz preset command (NET_DVR_PTZPreset*) */
#define SET_PRESET 8
#define CLE_PRESET 9
#define GOTO_PRESET 39
#define CLE_ALL_PRESET 53

/* ptz patrol/cruise command (*_SEQ; NET_DVR_PTZCruise*) */
#define FILL_PRE_SEQ 30
#define SET_SEQ_DWELL 31
#define SET_SEQ_SPEED 32
#define CLE_PRE_SEQ 33
#define RUN_SEQ 37
#define STOP_SEQ 38
#define SET_SEQ_START 41
#define SET_SEQ_END 42
#define DEL_SEQ 43
#define CLE_ALL_SEQ 54

/* ptz pattern/track command (*_CRUISE; NET_DVR_PTZTrack*) */
#define STA_MEM_CRUISE 34
#define STO_MEM_CRUISE 35
#define RUN_CRUISE 36
#define STOP_CRUISE 44
#define DELETE_CRUISE 45
#define DELETE_ALL_CRUISE 46
#define CLE_ALL_CRUISE 55

/* stream data type (dwDataType in real-data/playback callbacks) */
#define NET_DVR_SYSHEAD 1
#define NET_DVR_STREAMDATA 2
#define NET_DVR_AUDIOSTREAMDATA 3
#define NET_DVR_STD_VIDEODATA 4
#define NET_DVR_STD_AUDIODATA 5
#define NET_DVR_SDP 6
#define NET_DVR_CHANGE_FORWARD 10
#define NET_DVR_CHANGE_REVERSE 11
#define NET_DVR_PLAYBACK_ALLFILEEND 12
#define NET_DVR_VOD_DRAW_FRAME 13
#define NET_DVR_VOD_DRAW_DATA 14
#define NET_DVR_HLS_INDEX_DATA 15
#define NET_DVR_PLAYBACK_NEW_POS 16
#define NET_DVR_METADATA_DATA 107
#define NET_DVR_PRIVATE_DATA 112

/* exception type (dwType in fExceptionCallBack) */
#define EXCEPTION_EXCHANGE 32768
#define EXCEPTION_AUDIOEXCHANGE 32769
#define EXCEPTION_ALARM 32770
#define EXCEPTION_PREVIEW 32771
#define EXCEPTION_SERIAL 32772
#define EXCEPTION_RECONNECT 32773
#define EXCEPTION_ALARMRECONNECT 32774
#define EXCEPTION_SERIALRECONNECT 32775
#define SERIAL_RECONNECTSUCCESS 32776
#define EXCEPTION_PLAYBACK 32784
#define EXCEPTION_DISKFMT 32785
#define EXCEPTION_PASSIVEDECODE 32786
#define EXCEPTION_EMAILTEST 32787
#define EXCEPTION_BACKUP 32788
#define PREVIEW_RECONNECTSUCCESS 32789
#define ALARM_RECONNECTSUCCESS 32790
#define RESUME_EXCHANGE 32791
#define NETWORK_FLOWTEST_EXCEPTION 32792
#define EXCEPTION_PICPREVIEWRECONNECT 32793
#define PICPREVIEW_RECONNECTSUCCESS 32800
#define EXCEPTION_PICPREVIEW 32801
#define EXCEPTION_MAX_ALARM_INFO 32802
#define EXCEPTION_LOST_ALARM 32803
#define EXCEPTION_PASSIVETRANSRECONNECT 32804
#define PASSIVETRANS_RECONNECTSUCCESS 32805
#define EXCEPTION_PASSIVETRANS 32806
#define SUCCESS_PUSHDEVLOGON 32816
#define EXCEPTION_RELOGIN 32832
#define RELOGIN_SUCCESS 32833
#define EXCEPTION_PASSIVEDECODE_RECONNNECT 32834
#define EXCEPTION_CLUSTER_CS_ARMFAILED 32835
#define EXCEPTION_RELOGIN_FAILED 32836
#define EXCEPTION_PREVIEW_RECONNECT_CLOSED 32837
#define EXCEPTION_ALARM_RECONNECT_CLOSED 32838
#define EXCEPTION_SERIAL_RECONNECT_CLOSED 32839
#define EXCEPTION_PIC_RECONNECT_CLOSED 32840
#define EXCEPTION_PASSIVE_DECODE_RECONNECT_CLOSED 32841
#define EXCEPTION_PASSIVE_TRANS_RECONNECT_CLOSED 32842
#define EXCEPTION_VIDEO_DOWNLOAD 32843

/* playback control code (NET_DVR_PlayBackControl_V40 dwControlCode) */
#define NET_DVR_PLAYSTART 1
#define NET_DVR_PLAYSTOP 2
#define NET_DVR_PLAYPAUSE 3
#define NET_DVR_PLAYRESTART 4
#define NET_DVR_PLAYFAST 5
#define NET_DVR_PLAYSLOW 6
#define NET_DVR_PLAYNORMAL 7
#define NET_DVR_PLAYFRAME 8
#define NET_DVR_PLAYSTARTAUDIO 9
#define NET_DVR_PLAYSTOPAUDIO 10
#define NET_DVR_PLAYAUDIOVOLUME 11
#define NET_DVR_PLAYSETPOS 12
#define NET_DVR_PLAYGETPOS 13
#define NET_DVR_PLAYGETTIME 14
#define NET_DVR_PLAYGETFRAME 15
#define NET_DVR_GETTOTALFRAMES 16
#define NET_DVR_GETTOTALTIME 17
#define NET_DVR_THROWBFRAME 20
#define NET_DVR_SETSPEED 24
#define NET_DVR_KEEPALIVE 25
#define NET_DVR_PLAYSETTIME 26
#define NET_DVR_PLAYGETTOTALLEN 27
#define NET_DVR_PLAYSETTIME_V50 28
#define NET_DVR_PLAY_FORWARD 29
#define NET_DVR_PLAY_REVERSE 30
#define NET_DVR_SET_DECODEFFRAMETYPE 31
#define NET_DVR_SET_TRANS_TYPE 32
#define NET_DVR_PLAY_CONVERT 33
#define NET_DVR_START_DRAWFRAME 34
#define NET_DVR_STOP_DRAWFRAME 35
#define NET_DVR_CHANGEWNDRESOLUTION 36
#define NET_DVR_RESETBUFFER 37
#define NET_DVR_VOD_DRAG_ING 38
#define NET_DVR_VOD_DRAG_END 39
#define NET_DVR_VOD_RESET_PLAYTIME 40

/* playm4 decode type (listed after playback control codes in header) */
#define PLAYM4_DECODE_NORMAIL 0
#define PLAYM4_DECODE_KEY_FRAME 1
#define PLAYM4_DECODE_NONE 2
#define PLAYM4_DECODE_TEMPORAL_LAYER_0 3
#define PLAYM4_DECODE_TEMPORAL_LAYER_1 4

/* file/log find status (NET_DVR_FindNextFile_V40 return) */
#define NET_DVR_FILE_SUCCESS 1000
#define NET_DVR_FILE_NOFIND 1001
#define NET_DVR_ISFINDING 1002
#define NET_DVR_NOMOREFILE 1003
#define NET_DVR_FILE_EXCEPTION 1004
#define NET_DVR_FIND_TIMEOUT 1005

/* sdk init cfg type (enum NET_SDK_INIT_CFG_TYPE; NET_DVR_SetSDKInitCfg) */
#define NET_SDK_INIT_CFG_TYPE_CHECK_MODULE_COM 0
#define NET_SDK_INIT_CFG_ABILITY 1
#define NET_SDK_INIT_CFG_SDK_PATH 2
#define NET_SDK_INIT_CFG_LIBEAY_PATH 3
#define NET_SDK_INIT_CFG_SSLEAY_PATH 4

/* init cfg max num (enum INIT_CFG_MAX_NUM; NET_DVR_INIT_CFG_ABILITY) */
#define INIT_CFG_NUM_2048 2048
#define INIT_CFG_NUM_5120 5120
#define INIT_CFG_NUM_10240 10240
#define INIT_CFG_NUM_15360 15360
#define INIT_CFG_NUM_20480 20480

/* sdk local cfg type (enum NET_SDK_LOCAL_CFG_TYPE; NET_DVR_SetSDKLocalCfg/GetSDKLocalCfg) */
#define NET_SDK_LOCAL_CFG_TYPE_TCP_PORT_BIND 0
#define NET_SDK_LOCAL_CFG_TYPE_UDP_PORT_BIND 1
#define NET_SDK_LOCAL_CFG_TYPE_MEM_POOL 2
#define NET_SDK_LOCAL_CFG_TYPE_MODULE_RECV_TIMEOUT 3
#define NET_SDK_LOCAL_CFG_TYPE_ABILITY_PARSE 4
#define NET_SDK_LOCAL_CFG_TYPE_TALK_MODE 5
#define NET_SDK_LOCAL_CFG_TYPE_PROTECT_KEY 6
#define NET_SDK_LOCAL_CFG_TYPE_CFG_VERSION 7
#define NET_SDK_LOCAL_CFG_TYPE_RTSP_PARAMS 8
#define NET_SDK_LOCAL_CFG_TYPE_SIMXML_LOGIN 9
#define NET_SDK_LOCAL_CFG_TYPE_CHECK_DEV 10
#define NET_SDK_LOCAL_CFG_TYPE_SECURITY 11
#define NET_SDK_LOCAL_CFG_TYPE_EZVIZLIB_PATH 12
#define NET_SDK_LOCAL_CFG_TYPE_CHAR_ENCODE 13
#define NET_SDK_LOCAL_CFG_TYPE_PROXYS 14
#define NET_DVR_LOCAL_CFG_TYPE_LOG 15
#define NET_DVR_LOCAL_CFG_TYPE_STREAM_CALLBACK 16
#define NET_DVR_LOCAL_CFG_TYPE_GENERAL 17
#define NET_DVR_LOCAL_CFG_TYPE_PTZ 18
#define NET_DVR_LOCAL_CFG_MESSAGE_CALLBACK_V51 19
#define NET_SDK_LOCAL_CFG_CERTIFICATION 20
#define NET_SDK_LOCAL_CFG_PORT_MULTIPLEX 21
#define NET_SDK_LOCAL_CFG_ASYNC 22
#define NET_SDK_P2P_LOGIN_2C 23
#define NET_SDK_P2P_LOGIN_2B 24
#define NET_SDK_P2P_LOGOUT 25
#define NET_SDK_AUDIOCAST_CFG 26

/* exception callback mode (enum NET_SDK_EXCEPTION_CALLBACK_TYPE) */
#define NET_SDK_EXCEPTION_CALLBACK_BY_POOL 0
#define NET_SDK_EXCEPTION_CALLBACK_DIRECTLY 1

/* remote config callback type (enum NET_SDK_CALLBACK_TYPE; fRemoteConfigCallback dwType) */
#define NET_SDK_CALLBACK_TYPE_STATUS 0
#define NET_SDK_CALLBACK_TYPE_PROGRESS 1
#define NET_SDK_CALLBACK_TYPE_DATA 2

/* remote config callback status (enum NET_SDK_CALLBACK_STATUS_NORMAL) */
#define NET_SDK_CALLBACK_STATUS_SUCCESS 1000
#define NET_SDK_CALLBACK_STATUS_PROCESSING 1001
#define NET_SDK_CALLBACK_STATUS_FAILED 1002
#define NET_SDK_CALLBACK_STATUS_EXCEPTION 1003
#define NET_SDK_CALLBACK_STATUS_LANGUAGE_MISMATCH 1004
#define NET_SDK_CALLBACK_STATUS_DEV_TYPE_MISMATCH 1005
#define NET_DVR_CALLBACK_STATUS_SEND_WAIT 1006

/* get-next status (enum NET_SDK_GET_NEXT_STATUS; NET_DVR_GetNextRemoteConfig return) */
#define NET_SDK_GET_NEXT_STATUS_SUCCESS 1000
#define NET_SDK_GET_NETX_STATUS_NEED_WAIT 1001
#define NET_SDK_GET_NEXT_STATUS_FINISH 1002
#define NET_SDK_GET_NEXT_STATUS_FAILED 1003

/* send-with-recv status (enum NET_SDK_SENDWITHRECV_STATUS; NET_DVR_SendWithRecvRemoteConfig return) */
#define NET_SDK_CONFIG_STATUS_SUCCESS 1000
#define NET_SDK_CONFIG_STATUS_NEEDWAIT 1001
#define NET_SDK_CONFIG_STATUS_FINISH 1002
#define NET_SDK_CONFIG_STATUS_FAILED 1003
#define NET_SDK_CONFIG_STATUS_EXCEPTION 1004

/* async login result (fLoginResultCallBack dwResult) */
#define ASYN_LOGIN_SUCC 1
#define ASYN_LOGIN_FAILED 0

/* config command (NET_DVR_GetDVRConfig/SetDVRConfig dwCommand) */
#define NET_DVR_GET_DEVICECFG 100
#define NET_DVR_SET_DEVICECFG 101
#define NET_DVR_GET_DEVICECFG_V40 1100
#define NET_DVR_SET_DEVICECFG_V40 1101
#define NET_DVR_GET_DEVICECFG_V50 3801
#define NET_DVR_SET_DEVICECFG_V50 3802
#define NET_DVR_GET_TIMECFG 118
#define NET_DVR_SET_TIMECFG 119
#define NET_DVR_GET_NTPCFG 224
#define NET_DVR_SET_NTPCFG 225
#define NET_DVR_GET_PTZPOS 293
#define NET_DVR_SET_PTZPOS 292
#define NET_DVR_GET_PTZSCOPE 294
#define NET_DVR_GET_IPPARACFG_V40 1062
#define NET_DVR_SET_IPPARACFG_V40 1063
#define NET_DVR_GET_DIGITAL_CHANNEL_STATE 6126
#define NET_DVR_GET_NETCFG_V30 1000
#define NET_DVR_SET_NETCFG_V30 1001
#define NET_DVR_GET_NETCFG_V50 1015
#define NET_DVR_SET_NETCFG_V50 1016
#define NET_DVR_GET_PICCFG_V40 6179
#define NET_DVR_SET_PICCFG_V40 6180
#define NET_DVR_GET_COMPRESSCFG_V30 1040
#define NET_DVR_SET_COMPRESSCFG_V30 1041
#define NET_DVR_GET_RECORDCFG_V40 1008
#define NET_DVR_SET_RECORDCFG_V40 1009
#define NET_DVR_GET_ALARMINCFG_V30 1024
#define NET_DVR_SET_ALARMINCFG_V30 1025
#define NET_DVR_GET_ALARMOUTCFG_V30 1026
#define NET_DVR_SET_ALARMOUTCFG_V30 1027
#define NET_DVR_GET_IPALARMINCFG 1050
#define NET_DVR_SET_IPALARMINCFG 1051
#define NET_DVR_GET_IPALARMOUTCFG 1052
#define NET_DVR_SET_IPALARMOUTCFG 1053
#define NET_DVR_GET_USERCFG_V30 1006
#define NET_DVR_SET_USERCFG_V30 1007
#define NET_DVR_GET_USERCFG_V40 6187
#define NET_DVR_SET_USERCFG_V40 6188
#define NET_DVR_GET_HDCFG 1054
#define NET_DVR_SET_HDCFG 1055
#define NET_DVR_GET_HDCFG_V40 6122
#define NET_DVR_SET_HDCFG_V40 6123
#define NET_DVR_GET_ZEROCHANCFG 1102
#define NET_DVR_SET_ZEROCHANCFG 1103
#define NET_DVR_GET_SHOWSTRING_V30 1030
#define NET_DVR_SET_SHOWSTRING_V30 1031
#define NET_DVR_GET_EXCEPTIONCFG_V40 6177
#define NET_DVR_SET_EXCEPTIONCFG_V40 6178
#define NET_DVR_GET_NFSCFG 230
#define NET_DVR_SET_NFSCFG 231

/* alarm command (lCommand in MSGCallBack / MSGCallBack_V31) */
#define COMM_ALARM 4352
#define COMM_ALARM_RULE 4354
#define COMM_ALARM_PDC 4355
#define COMM_ALARM_VIDEOPLATFORM 4356
#define COMM_ALARM_ALARMHOST 4357
#define COMM_ALARM_FACE 4358
#define COMM_RULE_INFO_UPLOAD 4359
#define COMM_ALARM_AID 4368
#define COMM_ALARM_TPS 4369
#define COMM_UPLOAD_FACESNAP_RESULT 4370
#define COMM_ALARM_TFS 4371
#define COMM_ALARM_TPS_V41 4372
#define COMM_ALARM_AID_V41 4373
#define COMM_ALARM_VQD_EX 4374
#define COMM_ALARM_NOTIFICATION_REPORT 4375
#define COMM_SENSOR_VALUE_UPLOAD 4384
#define COMM_SENSOR_ALARM 4385
#define COMM_SWITCH_ALARM 4386
#define COMM_ALARMHOST_EXCEPTION 4387
#define COMM_ALARMHOST_OPERATEEVENT_ALARM 4388
#define COMM_ALARMHOST_SAFETYCABINSTATE 4389
#define COMM_ALARMHOST_ALARMOUTSTATUS 4390
#define COMM_ALARMHOST_CID_ALARM 4391
#define COMM_ALARMHOST_EXTERNAL_DEVICE_ALARM 4392
#define COMM_ALARMHOST_DATA_UPLOAD 4393
#define COMM_FACECAPTURE_STATISTICS_RESULT 4394
#define COMM_SCENECHANGE_DETECTION_UPLOAD 4400
#define COMM_CROSSLINE_ALARM 4401
#define COMM_UPLOAD_VIDEO_INTERCOM_EVENT 4402
#define COMM_ALARM_VIDEO_INTERCOM 4403
#define COMM_UPLOAD_NOTICE_DATA 4404
#define COMM_ALARM_AUDIOEXCEPTION 4432
#define COMM_ALARM_DEFOCUS 4433
#define COMM_ALARM_BUTTON_DOWN_EXCEPTION 4434
#define COMM_ALARM_ALARMGPS 4610
#define COMM_ALARM_WIRELESS_INFO 4651
#define COMM_TRADEINFO 5376
#define COMM_UPLOAD_PLATE_RESULT 10240
#define COMM_ITC_STATUS_DETECT_RESULT 10256
#define COMM_IPC_AUXALARM_RESULT 10272
#define COMM_UPLOAD_PICTUREINFO 10496
#define COMM_SNAP_MATCH_ALARM 10498
#define COMM_ITS_PLATE_RESULT 12368
#define COMM_ITS_TRAFFIC_COLLECT 12369
#define COMM_ITS_GATE_VEHICLE 12370
#define COMM_ITS_GATE_FACE 12371
#define COMM_ITS_GATE_COSTITEM 12372
#define COMM_ITS_GATE_HANDOVER 12373
#define COMM_ITS_PARK_VEHICLE 12374
#define COMM_ITS_BLOCKLIST_ALARM 12375
#define COMM_VEHICLE_CONTROL_LIST_DSALARM 12376
#define COMM_VEHICLE_CONTROL_ALARM 12377
#define COMM_FIRE_ALARM 12384
#define COMM_ITS_GATE_ALARMINFO 12385
#define COMM_VEHICLE_RECOG_RESULT 12386
#define COMM_PLATE_RESULT_V50 12387
#define COMM_GATE_CHARGEINFO_UPLOAD 12388
#define COMM_TME_VEHICLE_INDENTIFICATION 12389
#define COMM_GATE_CARDINFO_UPLOAD 12390
#define COMM_LOADING_DOCK_OPERATEINFO 12391
#define COMM_ALARM_SENSORINFO_UPLOAD 12407
#define COMM_ALARM_CAPTURE_UPLOAD 12408
#define COMM_ITS_RADARINFO 12409
#define COMM_SIGNAL_LAMP_ABNORMAL 12416
#define COMM_ALARM_TPS_REAL_TIME 12417
#define COMM_ALARM_TPS_STATISTICS 12418
#define COMM_ALARM_V30 16384
#define COMM_IPCCFG 16385
#define COMM_IPCCFG_V31 16386
#define COMM_IPCCFG_V40 16387
#define COMM_ALARM_DEVICE 16388
#define COMM_ALARM_CVR 16389
#define COMM_ALARM_HOT_SPARE 16390
#define COMM_ALARM_V40 16391
#define COMM_UPLOAD_HEATMAP_RESULT 16392
#define COMM_ALARM_DEVICE_V40 16393
#define COMM_ALARM_FACE_DETECTION 16400
#define COMM_ALARM_TARGET_LEFT_REGION 16401
#define COMM_GISINFO_UPLOAD 16402
#define COMM_VANDALPROOF_ALARM 16403
#define COMM_PEOPLE_DETECTION_UPLOAD 16404
#define COMM_ALARM_STORAGE_DETECTION 16405
#define COMM_MVM_REGISTER 16406
#define COMM_MVM_STATUS_INFO 16407
#define COMM_UPLOAD_HEATMAP_RESULT_PDC 16408
#define COMM_UPLOAD_HEATMAP_RESULT_DURATION 16409
#define COMM_UPLOAD_HEATMAP_RESULT_INTERSECTION 16416
#define COMM_UPLOAD_AIOP_VIDEO 16417
#define COMM_UPLOAD_AIOP_PICTURE 16418
#define COMM_UPLOAD_AIOP_POLLING_SNAP 16419
#define COMM_UPLOAD_AIOP_POLLING_VIDEO 16420
#define COMM_UPLOAD_AIOP_HISTORY_VIDEO 16421
#define COMM_ITS_ROAD_EXCEPTION 17664
#define COMM_ITS_EXTERNAL_CONTROL_ALARM 17696
#define COMM_ALARM_SHIPSDETECTION 17697
#define COMM_VCA_DBD_ALARM 17744
#define COMM_VCA_ADAS_ALARM 17745
#define COMM_VEH_REALTIME_INFO 17746
#define COMM_VCA_ATTEND_ALARM 17747
#define COMM_FIREDETECTION_ALARM 18833
#define COMM_ALARM_DENSEFOGDETECTION 18834
#define COMM_VCA_ALARM 18835
#define COMM_FACE_THERMOMETRY_ALARM 18836
#define COMM_TAPE_ARCHIVE_ALARM 18838
#define COMM_SCREEN_ALARM 20480
#define COMM_DVCS_STATE_ALARM 20481
#define COMM_ALARM_ACS 20482
#define COMM_ALARM_FIBER_CONVERT 20483
#define COMM_ALARM_SWITCH_CONVERT 20484
#define COMM_ALARM_DEC_VCA 20496
#define COMM_ALARM_LCD 20497
#define COMM_CONFERENCE_CALL_ALARM 20498
#define COMM_ALARM_WALL_CONFERNECE 20501
#define COMM_DIAGNOSIS_UPLOAD 20736
#define COMM_HIGH_DENSITY_UPLOAD 20737
#define COMM_ID_INFO_ALARM 20992
#define COMM_PASSNUM_INFO_ALARM 20993
#define COMM_PASSPORT_ALARM 20994
#define COMM_THERMOMETRY_DIFF_ALARM 21009
#define COMM_THERMOMETRY_ALARM 21010
#define COMM_PANORAMIC_LINKAGE_ALARM 21011
#define COMM_TAG_INFO_ALARM 21013
#define COMM_ALARM_VQD 24576
#define COMM_PUSH_UPDATE_RECORD_INFO 24577
#define COMM_SWITCH_LAMP_ALARM 24578
#define COMM_INQUEST_ALARM 24581
#define COMM_VIDEO_PARKING_POLE_ALARM 24582
#define COMM_ISAPI_ALARM 24585
#define COMM_GPS_STATUS_ALARM 24592
#define COMM_BASE_STATION_INFO_ALARM 24593
#define COMM_ALARM_SUBSCRIBE_EVENT 24594
#define COMM_FACESNAP_RAWDATA_ALARM 24597
#define COMM_CLUSTER_ALARM 24608
#define COMM_FRAMES_PEOPLE_COUNTING_ALARM 24681
#define COMM_SIGN_ABNORMAL_ALARM 24864
#define COMM_HFPD_ALARM 24865
#define COMM_HCU_ALARM 24912
#define COMM_DEV_STATUS_CHANGED 28672
#define COMM_ALARM_EXCEPTION 32767

/* error code base index (not itself an error code) */
#define RAID_ERROR_INDEX 200
#define VCA_ERROR_INDEX 300
#define NET_ERR_NPQ_BASE_INDEX 8000
#define NET_EZVIZ_P2P_BASE_INDEX 8300

/* size macro */
#define CARDNUM_LEN_OUT 32
#define DEV_ID_LEN 32
#define DEV_TYPE_NAME_LEN 24
#define GUID_LEN 16
#define MACADDR_LEN 6
#define MAX_ALARMOUT_V30 96
#define MAX_CHANNUM_V30 64
#define MAX_DISKNUM_V30 33
#define MAX_DOMAIN_NAME 64
#define MAX_IP_DEVICE_V40 64
#define NAME_LEN 32
#define NET_DVR_DEV_ADDRESS_MAX_LEN 129
#define NET_DVR_LOGIN_PASSWD_MAX_LEN 64
#define NET_DVR_LOGIN_USERNAME_MAX_LEN 64
#define NET_SDK_MAX_FILE_PATH 256
#define PASSWD_LEN 16
#define SERIALNO_LEN 48
#define STREAM_ID_LEN 32
#define URL_LEN 240
#define MAX_ANALOG_CHANNUM 32
#define MAX_IP_CHANNEL 32
#define MAX_CHANNUM 16
#define MAX_CHANNUM_V40 512
#define MAX_ALARMIN_V30 160
#define MAX_ANALOG_ALARMOUT 32
#define MAX_IP_ALARMOUT 64
#define MAX_ANALOG_ALARMIN 32
#define MAX_IP_ALARMIN 128
#define MAX_IP_DEVICE 32
#define MAX_PRESET_V30 256
#define MAX_PRESET_V40 300
#define MAX_CRUISE_V30 256
#define MAX_TRACK_V30 256
#define MAX_NAMELEN 16
#define MAX_PASSWD_LEN_EX 64
#define MAX_IPV6_LEN 64
#define MAX_ETHERNET 2
#define NET_SDK_VERSION_LIST_LEN 64

/* ---- Structs and unions (natural alignment; no packing) ---- */
typedef struct NET_DVR_USER_LOGIN_INFO NET_DVR_USER_LOGIN_INFO, *LPNET_DVR_USER_LOGIN_INFO;
typedef struct NET_DVR_DEVICEINFO_V30 NET_DVR_DEVICEINFO_V30, *LPNET_DVR_DEVICEINFO_V30;
typedef struct NET_DVR_DEVICEINFO_V40 NET_DVR_DEVICEINFO_V40, *LPNET_DVR_DEVICEINFO_V40;
typedef struct NET_DVR_PREVIEWINFO NET_DVR_PREVIEWINFO, *LPNET_DVR_PREVIEWINFO;
typedef struct NET_DVR_CLIENTINFO NET_DVR_CLIENTINFO, *LPNET_DVR_CLIENTINFO;
typedef struct NET_DVR_JPEGPARA NET_DVR_JPEGPARA, *LPNET_DVR_JPEGPARA;
typedef struct NET_DVR_TIME NET_DVR_TIME, *LPNET_DVR_TIME;
typedef struct NET_DVR_TIME_SEARCH_COND NET_DVR_TIME_SEARCH_COND, *LPNET_DVR_TIME_SEARCH_COND;
typedef struct NET_DVR_TIME_SEARCH NET_DVR_TIME_SEARCH, *LPNET_DVR_TIME_SEARCH;
typedef struct NET_DVR_ATMFINDINFO NET_DVR_ATMFINDINFO, *LPNET_DVR_ATMFINDINFO;
typedef union NET_DVR_SPECIAL_FINDINFO_UNION NET_DVR_SPECIAL_FINDINFO_UNION, *LPNET_DVR_SPECIAL_FINDINFO_UNION;
typedef struct NET_DVR_FILECOND_V40 NET_DVR_FILECOND_V40, *LPNET_DVR_FILECOND_V40;
typedef struct NET_DVR_FINDDATA_V40 NET_DVR_FINDDATA_V40, *LPNET_DVR_FINDDATA_V40;
typedef struct NET_DVR_PLAYCOND NET_DVR_PLAYCOND, *LPNET_DVR_PLAYCOND;
typedef struct NET_DVR_STREAM_INFO NET_DVR_STREAM_INFO, *LPNET_DVR_STREAM_INFO;
typedef struct NET_DVR_VOD_PARA NET_DVR_VOD_PARA, *LPNET_DVR_VOD_PARA;
typedef struct NET_DVR_TIME_V50 NET_DVR_TIME_V50, *LPNET_DVR_TIME_V50;
typedef struct NET_DVR_VOD_PARA_V50 NET_DVR_VOD_PARA_V50, *LPNET_DVR_VOD_PARA_V50;
typedef struct NET_DVR_SETUPALARM_PARAM NET_DVR_SETUPALARM_PARAM, *LPNET_DVR_SETUPALARM_PARAM;
typedef struct NET_DVR_SETUPALARM_PARAM_V50 NET_DVR_SETUPALARM_PARAM_V50, *LPNET_DVR_SETUPALARM_PARAM_V50;
typedef struct NET_DVR_ALARMER NET_DVR_ALARMER, *LPNET_DVR_ALARMER;
typedef struct NET_DVR_LOCAL_SDK_PATH NET_DVR_LOCAL_SDK_PATH, *LPNET_DVR_LOCAL_SDK_PATH;
typedef struct NET_DVR_IPADDR NET_DVR_IPADDR, *LPNET_DVR_IPADDR;
typedef struct NET_DVR_IPDEVINFO_V31 NET_DVR_IPDEVINFO_V31, *LPNET_DVR_IPDEVINFO_V31;
typedef struct NET_DVR_IPCHANINFO NET_DVR_IPCHANINFO, *LPNET_DVR_IPCHANINFO;
typedef struct NET_DVR_IPSERVER_STREAM NET_DVR_IPSERVER_STREAM, *LPNET_DVR_IPSERVER_STREAM;
typedef struct NET_DVR_STREAM_MEDIA_SERVER_CFG NET_DVR_STREAM_MEDIA_SERVER_CFG, *LPNET_DVR_STREAM_MEDIA_SERVER_CFG;
typedef struct NET_DVR_DEV_CHAN_INFO NET_DVR_DEV_CHAN_INFO, *LPNET_DVR_DEV_CHAN_INFO;
typedef struct NET_DVR_PU_STREAM_CFG NET_DVR_PU_STREAM_CFG, *LPNET_DVR_PU_STREAM_CFG;
typedef struct NET_DVR_DDNS_STREAM_CFG NET_DVR_DDNS_STREAM_CFG, *LPNET_DVR_DDNS_STREAM_CFG;
typedef struct NET_DVR_PU_STREAM_URL NET_DVR_PU_STREAM_URL, *LPNET_DVR_PU_STREAM_URL;
typedef struct NET_DVR_HKDDNS_STREAM NET_DVR_HKDDNS_STREAM, *LPNET_DVR_HKDDNS_STREAM;
typedef struct NET_DVR_IPCHANINFO_V40 NET_DVR_IPCHANINFO_V40, *LPNET_DVR_IPCHANINFO_V40;
typedef union NET_DVR_GET_STREAM_UNION NET_DVR_GET_STREAM_UNION, *LPNET_DVR_GET_STREAM_UNION;
typedef struct NET_DVR_STREAM_MODE NET_DVR_STREAM_MODE, *LPNET_DVR_STREAM_MODE;
typedef struct NET_DVR_IPPARACFG_V40 NET_DVR_IPPARACFG_V40, *LPNET_DVR_IPPARACFG_V40;
typedef struct NET_DVR_PTZPOS NET_DVR_PTZPOS, *LPNET_DVR_PTZPOS;
typedef struct NET_DVR_SDKSTATE NET_DVR_SDKSTATE, *LPNET_DVR_SDKSTATE;
typedef struct NET_DVR_SDKABL NET_DVR_SDKABL, *LPNET_DVR_SDKABL;
typedef struct NET_DVR_XML_CONFIG_INPUT NET_DVR_XML_CONFIG_INPUT, *LPNET_DVR_XML_CONFIG_INPUT;
typedef struct NET_DVR_XML_CONFIG_OUTPUT NET_DVR_XML_CONFIG_OUTPUT, *LPNET_DVR_XML_CONFIG_OUTPUT;
typedef struct NET_DVR_DEVICECFG_V40 NET_DVR_DEVICECFG_V40, *LPNET_DVR_DEVICECFG_V40;
typedef struct NET_DVR_ALARMINFO_V30 NET_DVR_ALARMINFO_V30, *LPNET_DVR_ALARMINFO_V30;
typedef struct NET_DVR_SDKLOCAL_CFG NET_DVR_SDKLOCAL_CFG, *LPNET_DVR_SDKLOCAL_CFG;
typedef struct NET_DVR_LOCAL_GENERAL_CFG NET_DVR_LOCAL_GENERAL_CFG, *LPNET_DVR_LOCAL_GENERAL_CFG;
typedef struct NET_DVR_STD_CONFIG NET_DVR_STD_CONFIG, *LPNET_DVR_STD_CONFIG;
typedef struct NET_DVR_INIT_CFG_ABILITY NET_DVR_INIT_CFG_ABILITY, *LPNET_DVR_INIT_CFG_ABILITY;
typedef struct NET_DVR_INIT_CHECK_MODULE_COM NET_DVR_INIT_CHECK_MODULE_COM, *LPNET_DVR_INIT_CHECK_MODULE_COM;
typedef struct NET_DVR_STD_CONTROL NET_DVR_STD_CONTROL, *LPNET_DVR_STD_CONTROL; /* opaque here */

/* ---- Callback types ---- */
/* Async login result (NET_DVR_USER_LOGIN_INFO.cbLoginResult). dwResult: 1 success, 0 failure. */
typedef void (*fLoginResultCallBack)(LONG lUserID, DWORD dwResult, LPNET_DVR_DEVICEINFO_V30 lpDeviceInfo, void *pUser);
/* Stream data (NET_DVR_RealPlay_V40; also the *Ex data callbacks and playback data). */
typedef void (*REALDATACALLBACK)(LONG lPlayHandle, DWORD dwDataType, BYTE *pBuffer, DWORD dwBufSize, void *pUser);
/* Stream data with a DWORD user value (NET_DVR_SetRealDataCallBack, NET_DVR_SetStandardDataCallBack). */
typedef void (*REALDATACALLBACK_DWUSER)(LONG lRealHandle, DWORD dwDataType, BYTE *pBuffer, DWORD dwBufSize, DWORD dwUser);
/* Exceptions and reconnects (NET_DVR_SetExceptionCallBack_V30). */
typedef void (*EXCEPTIONCALLBACK)(DWORD dwType, LONG lUserID, LONG lHandle, void *pUser);
/* Alarm messages (NET_DVR_SetDVRMessageCallBack_V30/_V50, NET_DVR_StartListen_V30). */
typedef void (*MSGCallBack)(LONG lCommand, NET_DVR_ALARMER *pAlarmer, char *pAlarmInfo, DWORD dwBufLen, void *pUser);
/* Alarm messages with a BOOL result (NET_DVR_SetDVRMessageCallBack_V31). */
typedef BOOL (*MSGCallBack_V31)(LONG lCommand, NET_DVR_ALARMER *pAlarmer, char *pAlarmInfo, DWORD dwBufLen, void *pUser);
/* Remote configuration progress (NET_DVR_StartRemoteConfig). */
typedef void (*fRemoteConfigCallback)(DWORD dwType, void *lpBuffer, DWORD dwBufLen, void *pUserData);

/* struct NET_DVR_USER_LOGIN_INFO: sizeof 416, alignof 8 (Linux x86_64) */
struct NET_DVR_USER_LOGIN_INFO {
    char sDeviceAddress[129];
    BYTE byUseTransport;
    WORD wPort;
    char sUserName[64];
    char sPassword[64];
    fLoginResultCallBack cbLoginResult;
    void *pUser;
    BOOL bUseAsynLogin;
    BYTE byProxyType;
    BYTE byUseUTCTime;
    BYTE byLoginMode;
    BYTE byHttps;
    LONG iProxyID;
    BYTE byVerifyMode;
    BYTE byRes3[119];
};

/* struct NET_DVR_DEVICEINFO_V30: sizeof 80, alignof 2 (Linux x86_64) */
struct NET_DVR_DEVICEINFO_V30 {
    BYTE sSerialNumber[48];
    BYTE byAlarmInPortNum;
    BYTE byAlarmOutPortNum;
    BYTE byDiskNum;
    BYTE byDVRType;
    BYTE byChanNum;
    BYTE byStartChan;
    BYTE byAudioChanNum;
    BYTE byIPChanNum;
    BYTE byZeroChanNum;
    BYTE byMainProto;
    BYTE bySubProto;
    BYTE bySupport;
    BYTE bySupport1;
    BYTE bySupport2;
    WORD wDevType;
    BYTE bySupport3;
    BYTE byMultiStreamProto;
    BYTE byStartDChan;
    BYTE byStartDTalkChan;
    BYTE byHighDChanNum;
    BYTE bySupport4;
    BYTE byLanguageType;
    BYTE byVoiceInChanNum;
    BYTE byStartVoiceInChanNo;
    BYTE bySupport5;
    BYTE bySupport6;
    BYTE byMirrorChanNum;
    WORD wStartMirrorChanNo;
    BYTE bySupport7;
    BYTE byRes2;
};

/* struct NET_DVR_DEVICEINFO_V40: sizeof 344, alignof 4 (Linux x86_64) */
struct NET_DVR_DEVICEINFO_V40 {
    NET_DVR_DEVICEINFO_V30 struDeviceV30;
    BYTE bySupportLock;
    BYTE byRetryLoginTime;
    BYTE byPasswordLevel;
    BYTE byProxyType;
    DWORD dwSurplusLockTime;
    BYTE byCharEncodeType;
    BYTE bySupportDev5;
    BYTE bySupport;
    BYTE byLoginMode;
    DWORD dwOEMCode;
    int iResidualValidity;
    BYTE byResidualValidity;
    BYTE bySingleStartDTalkChan;
    BYTE bySingleDTalkChanNums;
    BYTE byPassWordResetLevel;
    BYTE bySupportStreamEncrypt;
    BYTE byMarketType;
    BYTE byTLSCap;
    BYTE byRes2[237];
};

/* struct NET_DVR_PREVIEWINFO: sizeof 280, alignof 4 (Linux x86_64) */
struct NET_DVR_PREVIEWINFO {
    LONG lChannel;
    DWORD dwStreamType;
    DWORD dwLinkMode;
    HWND hPlayWnd;
    DWORD bBlocked;
    DWORD bPassbackRecord;
    BYTE byPreviewMode;
    BYTE byStreamID[32];
    BYTE byProtoType;
    BYTE byRes1;
    BYTE byVideoCodingType;
    DWORD dwDisplayBufNum;
    BYTE byNPQMode;
    BYTE byRecvMetaData;
    BYTE byDataType;
    BYTE byRes[213];
};

/* struct NET_DVR_CLIENTINFO: sizeof 32, alignof 8 (Linux x86_64) */
struct NET_DVR_CLIENTINFO {
    LONG lChannel;
    LONG lLinkMode;
    HWND hPlayWnd;
    char *sMultiCastIP;
    BYTE byProtoType;
    BYTE byRes[3];
};

/* struct NET_DVR_JPEGPARA: sizeof 4, alignof 2 (Linux x86_64) */
struct NET_DVR_JPEGPARA {
    WORD wPicSize;
    WORD wPicQuality;
};

/* struct NET_DVR_TIME: sizeof 24, alignof 4 (Linux x86_64) */
struct NET_DVR_TIME {
    DWORD dwYear;
    DWORD dwMonth;
    DWORD dwDay;
    DWORD dwHour;
    DWORD dwMinute;
    DWORD dwSecond;
};

/* struct NET_DVR_TIME_SEARCH_COND: sizeof 12, alignof 2 (Linux x86_64) */
struct NET_DVR_TIME_SEARCH_COND {
    WORD wYear;
    BYTE byMonth;
    BYTE byDay;
    BYTE byHour;
    BYTE byMinute;
    BYTE bySecond;
    BYTE byLocalOrUTC;
    WORD wMillisecond;
    char cTimeDifferenceH;
    char cTimeDifferenceM;
};

/* struct NET_DVR_TIME_SEARCH: sizeof 12, alignof 2 (Linux x86_64) */
struct NET_DVR_TIME_SEARCH {
    WORD wYear;
    BYTE byMonth;
    BYTE byDay;
    BYTE byHour;
    BYTE byMinute;
    BYTE bySecond;
    char cTimeDifferenceH;
    char cTimeDifferenceM;
    BYTE byLocalOrUTC;
    WORD wMillisecond;
};

/* struct NET_DVR_ATMFINDINFO: sizeof 8, alignof 4 (Linux x86_64) */
struct NET_DVR_ATMFINDINFO {
    BYTE byTransactionType;
    BYTE byRes[3];
    DWORD dwTransationAmount;
};

/* union NET_DVR_SPECIAL_FINDINFO_UNION: sizeof 8, alignof 4 (Linux x86_64) */
union NET_DVR_SPECIAL_FINDINFO_UNION {
    BYTE byLenth[8];
    NET_DVR_ATMFINDINFO struATMFindInfo;
};

/* struct NET_DVR_FILECOND_V40: sizeof 160, alignof 4 (Linux x86_64) */
struct NET_DVR_FILECOND_V40 {
    LONG lChannel;
    DWORD dwFileType;
    DWORD dwIsLocked;
    DWORD dwUseCardNo;
    BYTE sCardNumber[32];
    NET_DVR_TIME struStartTime;
    NET_DVR_TIME struStopTime;
    BYTE byDrawFrame;
    BYTE byFindType;
    BYTE byQuickSearch;
    BYTE bySpecialFindInfoType;
    DWORD dwVolumeNum;
    BYTE byWorkingDeviceGUID[16];
    NET_DVR_SPECIAL_FINDINFO_UNION uSpecialFindInfo;
    BYTE byStreamType;
    BYTE byAudioFile;
    BYTE byRes2[30];
};

/* struct NET_DVR_FINDDATA_V40: sizeof 320, alignof 4 (Linux x86_64) */
struct NET_DVR_FINDDATA_V40 {
    char sFileName[100];
    NET_DVR_TIME struStartTime;
    NET_DVR_TIME struStopTime;
    DWORD dwFileSize;
    char sCardNum[32];
    BYTE byLocked;
    BYTE byFileType;
    BYTE byQuickSearch;
    BYTE byRes;
    DWORD dwFileIndex;
    BYTE byStreamType;
    BYTE byRes1[127];
};

/* struct NET_DVR_PLAYCOND: sizeof 116, alignof 4 (Linux x86_64) */
struct NET_DVR_PLAYCOND {
    DWORD dwChannel;
    NET_DVR_TIME struStartTime;
    NET_DVR_TIME struStopTime;
    BYTE byDrawFrame;
    BYTE byStreamType;
    BYTE byStreamID[32];
    BYTE byCourseFile;
    BYTE byDownload;
    BYTE byOptimalStreamType;
    BYTE byVODFileType;
    BYTE byRes[26];
};

/* struct NET_DVR_STREAM_INFO: sizeof 72, alignof 4 (Linux x86_64) */
struct NET_DVR_STREAM_INFO {
    DWORD dwSize;
    BYTE byID[32];
    DWORD dwChannel;
    BYTE byRes[32];
};

/* struct NET_DVR_VOD_PARA: sizeof 160, alignof 4 (Linux x86_64) */
struct NET_DVR_VOD_PARA {
    DWORD dwSize;
    NET_DVR_STREAM_INFO struIDInfo;
    NET_DVR_TIME struBeginTime;
    NET_DVR_TIME struEndTime;
    HWND hWnd;
    BYTE byDrawFrame;
    BYTE byVolumeType;
    BYTE byVolumeNum;
    BYTE byStreamType;
    DWORD dwFileIndex;
    BYTE byAudioFile;
    BYTE byCourseFile;
    BYTE byDownload;
    BYTE byOptimalStreamType;
    BYTE byUseAsyn;
    BYTE byRes2[19];
};

/* struct NET_DVR_TIME_V50: sizeof 12, alignof 2 (Linux x86_64) */
struct NET_DVR_TIME_V50 {
    WORD wYear;
    BYTE byMonth;
    BYTE byDay;
    BYTE byHour;
    BYTE byMinute;
    BYTE bySecond;
    BYTE byISO8601;
    WORD wMillisecond;
    char cTimeDifferenceH;
    char cTimeDifferenceM;
};

/* struct NET_DVR_VOD_PARA_V50: sizeof 384, alignof 8 (Linux x86_64) */
struct NET_DVR_VOD_PARA_V50 {
    DWORD dwSize;
    NET_DVR_STREAM_INFO struIDInfo;
    NET_DVR_TIME_V50 struBeginTime;
    NET_DVR_TIME_V50 struEndTime;
    HWND hWnd;
    BYTE byDrawFrame;
    BYTE byVolumeType;
    BYTE byVolumeNum;
    BYTE byStreamType;
    DWORD dwFileIndex;
    BYTE byAudioFile;
    BYTE byCourseFile;
    BYTE byPlayMode;
    BYTE byLinkMode;
    BYTE byDownload;
    BYTE byOptimalStreamType;
    BYTE byDisplayBufNum;
    BYTE byNPQMode;
    BYTE sUserName[32];
    BYTE sPassword[16];
    BYTE byRemoteFile;
    BYTE byUseAsyn;
    BYTE byRes2[201];
    BYTE byHls;
    char *pSavedFileName;
};

/* struct NET_DVR_SETUPALARM_PARAM: sizeof 20, alignof 4 (Linux x86_64) */
struct NET_DVR_SETUPALARM_PARAM {
    DWORD dwSize;
    BYTE byLevel;
    BYTE byAlarmInfoType;
    BYTE byRetAlarmTypeV40;
    BYTE byRetDevInfoVersion;
    BYTE byRetVQDAlarmType;
    BYTE byFaceAlarmDetection;
    BYTE bySupport;
    BYTE byBrokenNetHttp;
    WORD wTaskNo;
    BYTE byDeployType;
    BYTE bySubScription;
    BYTE byRes1[2];
    BYTE byAlarmTypeURL;
    BYTE byCustomCtrl;
};

/* struct NET_DVR_SETUPALARM_PARAM_V50: sizeof 148, alignof 4 (Linux x86_64) */
struct NET_DVR_SETUPALARM_PARAM_V50 {
    DWORD dwSize;
    BYTE byLevel;
    BYTE byAlarmInfoType;
    BYTE byRetAlarmTypeV40;
    BYTE byRetDevInfoVersion;
    BYTE byRetVQDAlarmType;
    BYTE byFaceAlarmDetection;
    BYTE bySupport;
    BYTE byBrokenNetHttp;
    WORD wTaskNo;
    BYTE byDeployType;
    BYTE bySubScription;
    BYTE byBrokenNetHttpV60;
    BYTE byRes1;
    BYTE byAlarmTypeURL;
    BYTE byCustomCtrl;
    BYTE byRes4[128];
};

/* struct NET_DVR_ALARMER: sizeof 372, alignof 4 (Linux x86_64) */
struct NET_DVR_ALARMER {
    BYTE byUserIDValid;
    BYTE bySerialValid;
    BYTE byVersionValid;
    BYTE byDeviceNameValid;
    BYTE byMacAddrValid;
    BYTE byLinkPortValid;
    BYTE byDeviceIPValid;
    BYTE bySocketIPValid;
    LONG lUserID;
    BYTE sSerialNumber[48];
    DWORD dwDeviceVersion;
    char sDeviceName[32];
    BYTE byMacAddr[6];
    WORD wLinkPort;
    char sDeviceIP[128];
    char sSocketIP[128];
    BYTE byIpProtocol;
    BYTE byRes1[2];
    BYTE bJSONBroken;
    WORD wSocketPort;
    BYTE byRes2[6];
};

/* struct NET_DVR_LOCAL_SDK_PATH: sizeof 384, alignof 1 (Linux x86_64) */
struct NET_DVR_LOCAL_SDK_PATH {
    char sPath[256];
    BYTE byRes[128];
};

/* struct NET_DVR_IPADDR: sizeof 144, alignof 1 (Linux x86_64) */
struct NET_DVR_IPADDR {
    char sIpV4[16];
    BYTE byIPv6[128];
};

/* struct NET_DVR_IPDEVINFO_V31: sizeof 296, alignof 2 (Linux x86_64) */
struct NET_DVR_IPDEVINFO_V31 {
    BYTE byEnable;
    BYTE byProType;
    BYTE byEnableQuickAdd;
    BYTE byCameraType;
    BYTE sUserName[32];
    BYTE sPassword[16];
    BYTE byDomain[64];
    NET_DVR_IPADDR struIP;
    WORD wDVRPort;
    BYTE szDeviceID[32];
    BYTE byEnableTiming;
    BYTE byCertificateValidation;
};

/* struct NET_DVR_IPCHANINFO: sizeof 36, alignof 1 (Linux x86_64) */
struct NET_DVR_IPCHANINFO {
    BYTE byEnable;
    BYTE byIPID;
    BYTE byChannel;
    BYTE byIPIDHigh;
    BYTE byTransProtocol;
    BYTE byGetStream;
    BYTE byres[30];
};

/* struct NET_DVR_IPSERVER_STREAM: sizeof 298, alignof 2 (Linux x86_64) */
struct NET_DVR_IPSERVER_STREAM {
    BYTE byEnable;
    BYTE byRes[3];
    NET_DVR_IPADDR struIPServer;
    WORD wPort;
    WORD wDvrNameLen;
    BYTE byDVRName[32];
    WORD wDVRSerialLen;
    WORD byRes1[2];
    BYTE byDVRSerialNumber[48];
    BYTE byUserName[32];
    BYTE byPassWord[16];
    BYTE byChannel;
    BYTE byRes2[11];
};

/* struct NET_DVR_STREAM_MEDIA_SERVER_CFG: sizeof 220, alignof 2 (Linux x86_64) */
struct NET_DVR_STREAM_MEDIA_SERVER_CFG {
    BYTE byValid;
    BYTE byRes1[3];
    NET_DVR_IPADDR struDevIP;
    WORD wDevPort;
    BYTE byTransmitType;
    BYTE byRes2[69];
};

/* struct NET_DVR_DEV_CHAN_INFO: sizeof 268, alignof 2 (Linux x86_64) */
struct NET_DVR_DEV_CHAN_INFO {
    NET_DVR_IPADDR struIP;
    WORD wDVRPort;
    BYTE byChannel;
    BYTE byTransProtocol;
    BYTE byTransMode;
    BYTE byFactoryType;
    BYTE byDeviceType;
    BYTE byDispChan;
    BYTE bySubDispChan;
    BYTE byResolution;
    BYTE byRes[2];
    BYTE byDomain[64];
    BYTE sUserName[32];
    BYTE sPassword[16];
};

/* struct NET_DVR_PU_STREAM_CFG: sizeof 492, alignof 4 (Linux x86_64) */
struct NET_DVR_PU_STREAM_CFG {
    DWORD dwSize;
    NET_DVR_STREAM_MEDIA_SERVER_CFG struStreamMediaSvrCfg;
    NET_DVR_DEV_CHAN_INFO struDevChanInfo;
};

/* struct NET_DVR_DDNS_STREAM_CFG: sizeof 440, alignof 2 (Linux x86_64) */
struct NET_DVR_DDNS_STREAM_CFG {
    BYTE byEnable;
    BYTE byRes1[3];
    NET_DVR_IPADDR struStreamServer;
    WORD wStreamServerPort;
    BYTE byStreamServerTransmitType;
    BYTE byRes2;
    NET_DVR_IPADDR struIPServer;
    WORD wIPServerPort;
    BYTE byRes3[2];
    BYTE sDVRName[32];
    WORD wDVRNameLen;
    WORD wDVRSerialLen;
    BYTE sDVRSerialNumber[48];
    BYTE sUserName[32];
    BYTE sPassWord[16];
    WORD wDVRPort;
    BYTE byRes4[2];
    BYTE byChannel;
    BYTE byTransProtocol;
    BYTE byTransMode;
    BYTE byFactoryType;
};

/* struct NET_DVR_PU_STREAM_URL: sizeof 252, alignof 2 (Linux x86_64) */
struct NET_DVR_PU_STREAM_URL {
    BYTE byEnable;
    BYTE strURL[240];
    BYTE byTransPortocol;
    WORD wIPID;
    BYTE byChannel;
    BYTE byRes[7];
};

/* struct NET_DVR_HKDDNS_STREAM: sizeof 216, alignof 2 (Linux x86_64) */
struct NET_DVR_HKDDNS_STREAM {
    BYTE byEnable;
    BYTE byRes[3];
    BYTE byDDNSDomain[64];
    WORD wPort;
    WORD wAliasLen;
    BYTE byAlias[32];
    WORD wDVRSerialLen;
    BYTE byRes1[2];
    BYTE byDVRSerialNumber[48];
    BYTE byUserName[32];
    BYTE byPassWord[16];
    BYTE byChannel;
    BYTE byRes2[11];
};

/* struct NET_DVR_IPCHANINFO_V40: sizeof 252, alignof 4 (Linux x86_64) */
struct NET_DVR_IPCHANINFO_V40 {
    BYTE byEnable;
    BYTE byRes1;
    WORD wIPID;
    DWORD dwChannel;
    BYTE byTransProtocol;
    BYTE byTransMode;
    BYTE byFactoryType;
    BYTE byRes;
    BYTE strURL[240];
};

/* union NET_DVR_GET_STREAM_UNION: sizeof 492, alignof 4 (Linux x86_64) */
union NET_DVR_GET_STREAM_UNION {
    NET_DVR_IPCHANINFO struChanInfo;
    NET_DVR_IPSERVER_STREAM struIPServerStream;
    NET_DVR_PU_STREAM_CFG struPUStream;
    NET_DVR_DDNS_STREAM_CFG struDDNSStream;
    NET_DVR_PU_STREAM_URL struStreamUrl;
    NET_DVR_HKDDNS_STREAM struHkDDNSStream;
    NET_DVR_IPCHANINFO_V40 struIPChan;
};

/* struct NET_DVR_STREAM_MODE: sizeof 496, alignof 4 (Linux x86_64) */
struct NET_DVR_STREAM_MODE {
    BYTE byGetStreamType;
    BYTE byRes[3];
    NET_DVR_GET_STREAM_UNION uGetStream;
};

/* struct NET_DVR_IPPARACFG_V40: sizeof 50792, alignof 4 (Linux x86_64) */
struct NET_DVR_IPPARACFG_V40 {
    DWORD dwSize;
    DWORD dwGroupNum;
    DWORD dwAChanNum;
    DWORD dwDChanNum;
    DWORD dwStartDChan;
    BYTE byAnalogChanEnable[64];
    NET_DVR_IPDEVINFO_V31 struIPDevInfo[64];
    NET_DVR_STREAM_MODE struStreamMode[64];
    BYTE byRes2[20];
};

/* struct NET_DVR_PTZPOS: sizeof 8, alignof 2 (Linux x86_64) */
struct NET_DVR_PTZPOS {
    WORD wAction;
    WORD wPanPos;
    WORD wTiltPos;
    WORD wZoomPos;
};

/* struct NET_DVR_SDKSTATE: sizeof 84, alignof 4 (Linux x86_64) */
struct NET_DVR_SDKSTATE {
    DWORD dwTotalLoginNum;
    DWORD dwTotalRealPlayNum;
    DWORD dwTotalPlayBackNum;
    DWORD dwTotalAlarmChanNum;
    DWORD dwTotalFormatNum;
    DWORD dwTotalFileSearchNum;
    DWORD dwTotalLogSearchNum;
    DWORD dwTotalSerialNum;
    DWORD dwTotalUpgradeNum;
    DWORD dwTotalVoiceComNum;
    DWORD dwTotalBroadCastNum;
    DWORD dwTotalListenNum;
    DWORD dwEmailTestNum;
    DWORD dwBackupNum;
    DWORD dwTotalInquestUploadNum;
    DWORD dwRes[6];
};

/* struct NET_DVR_SDKABL: sizeof 84, alignof 4 (Linux x86_64) */
struct NET_DVR_SDKABL {
    DWORD dwMaxLoginNum;
    DWORD dwMaxRealPlayNum;
    DWORD dwMaxPlayBackNum;
    DWORD dwMaxAlarmChanNum;
    DWORD dwMaxFormatNum;
    DWORD dwMaxFileSearchNum;
    DWORD dwMaxLogSearchNum;
    DWORD dwMaxSerialNum;
    DWORD dwMaxUpgradeNum;
    DWORD dwMaxVoiceComNum;
    DWORD dwMaxBroadCastNum;
    DWORD dwRes[10];
};

/* struct NET_DVR_XML_CONFIG_INPUT: sizeof 72, alignof 8 (Linux x86_64) */
struct NET_DVR_XML_CONFIG_INPUT {
    DWORD dwSize;
    void *lpRequestUrl;
    DWORD dwRequestUrlLen;
    void *lpInBuffer;
    DWORD dwInBufferSize;
    DWORD dwRecvTimeOut;
    BYTE byForceEncrpt;
    BYTE byNumOfMultiPart;
    BYTE byMIMEType;
    BYTE byRes1;
    DWORD dwSendTimeOut;
    BYTE byRes[24];
};

/* struct NET_DVR_XML_CONFIG_OUTPUT: sizeof 72, alignof 8 (Linux x86_64) */
struct NET_DVR_XML_CONFIG_OUTPUT {
    DWORD dwSize;
    void *lpOutBuffer;
    DWORD dwOutBufferSize;
    DWORD dwReturnedXMLSize;
    void *lpStatusBuffer;
    DWORD dwStatusSize;
    void *lpDataBuffer;
    BYTE byNumOfMultiPart;
    BYTE byRes[23];
};

/* struct NET_DVR_DEVICECFG_V40: sizeof 180, alignof 4 (Linux x86_64) */
struct NET_DVR_DEVICECFG_V40 {
    DWORD dwSize;
    BYTE sDVRName[32];
    DWORD dwDVRID;
    DWORD dwRecycleRecord;
    BYTE sSerialNumber[48];
    DWORD dwSoftwareVersion;
    DWORD dwSoftwareBuildDate;
    DWORD dwDSPSoftwareVersion;
    DWORD dwDSPSoftwareBuildDate;
    DWORD dwPanelVersion;
    DWORD dwHardwareVersion;
    BYTE byAlarmInPortNum;
    BYTE byAlarmOutPortNum;
    BYTE byRS232Num;
    BYTE byRS485Num;
    BYTE byNetworkPortNum;
    BYTE byDiskCtrlNum;
    BYTE byDiskNum;
    BYTE byDVRType;
    BYTE byChanNum;
    BYTE byStartChan;
    BYTE byDecordChans;
    BYTE byVGANum;
    BYTE byUSBNum;
    BYTE byAuxoutNum;
    BYTE byAudioNum;
    BYTE byIPChanNum;
    BYTE byZeroChanNum;
    BYTE bySupport;
    BYTE byEsataUseage;
    BYTE byIPCPlug;
    BYTE byStorageMode;
    BYTE bySupport1;
    WORD wDevType;
    BYTE byDevTypeName[24];
    BYTE bySupport2;
    BYTE byAnalogAlarmInPortNum;
    BYTE byStartAlarmInNo;
    BYTE byStartAlarmOutNo;
    BYTE byStartIPAlarmInNo;
    BYTE byStartIPAlarmOutNo;
    BYTE byHighIPChanNum;
    BYTE byEnableRemotePowerOn;
    WORD wDevClass;
    BYTE byRes2[6];
};

/* struct NET_DVR_ALARMINFO_V30: sizeof 268, alignof 4 (Linux x86_64) */
struct NET_DVR_ALARMINFO_V30 {
    DWORD dwAlarmType;
    DWORD dwAlarmInputNumber;
    BYTE byAlarmOutputNumber[96];
    BYTE byAlarmRelateChannel[64];
    BYTE byChannel[64];
    BYTE byDiskNumber[33];
};

/* struct NET_DVR_SDKLOCAL_CFG: sizeof 512, alignof 1 (Linux x86_64) */
struct NET_DVR_SDKLOCAL_CFG {
    BYTE byEnableAbilityParse;
    BYTE byVoiceComMode;
    BYTE byLoginWithSimXml;
    BYTE byCompatibleType;
    BYTE byRes[380];
    BYTE byProtectKey[128];
};

/* struct NET_DVR_LOCAL_GENERAL_CFG: sizeof 256, alignof 8 (Linux x86_64) */
struct NET_DVR_LOCAL_GENERAL_CFG {
    BYTE byExceptionCbDirectly;
    BYTE byNotSplitRecordFile;
    BYTE byResumeUpgradeEnable;
    BYTE byAlarmJsonPictureSeparate;
    BYTE byRes[4];
    UINT64 i64FileSize;
    DWORD dwResumeUpgradeTimeout;
    BYTE byAlarmReconnectMode;
    BYTE byStdXmlBufferSize;
    BYTE byMultiplexing;
    BYTE byFastUpgrade;
    BYTE byAlarmPrealloc;
    BYTE byRes1[231];
};

/* struct NET_DVR_STD_CONFIG: sizeof 104, alignof 8 (Linux x86_64) */
struct NET_DVR_STD_CONFIG {
    void *lpCondBuffer;
    DWORD dwCondSize;
    void *lpInBuffer;
    DWORD dwInSize;
    void *lpOutBuffer;
    DWORD dwOutSize;
    void *lpStatusBuffer;
    DWORD dwStatusSize;
    void *lpXmlBuffer;
    DWORD dwXmlSize;
    BYTE byDataType;
    BYTE byRes[23];
};

/* struct NET_DVR_INIT_CFG_ABILITY: sizeof 72, alignof 4 (Linux x86_64) */
struct NET_DVR_INIT_CFG_ABILITY {
    INIT_CFG_MAX_NUM enumMaxLoginUsersNum;
    INIT_CFG_MAX_NUM enumMaxAlarmNum;
    BYTE byRes[64];
};

/* struct NET_DVR_INIT_CHECK_MODULE_COM: sizeof 256, alignof 1 (Linux x86_64) */
struct NET_DVR_INIT_CHECK_MODULE_COM {
    BYTE byEnable;
    BYTE byRes[255];
};

/* ---- Time and time-zone configuration (issue 15; from layouts-alarms-config.csv) ---- */
#define NET_DVR_GET_ZONEANDDST 128
#define NET_DVR_SET_ZONEANDDST 129

/* struct NET_DVR_NTPPARA: sizeof 80, alignof 2 (Linux x86_64). GET/SET_NTPCFG; cTimeDifferenceH/M: the device's offset from UTC. */
typedef struct NET_DVR_NTPPARA {
    BYTE sNTPServer[64];
    WORD wInterval;
    BYTE byEnableNTP;
    signed char cTimeDifferenceH;
    signed char cTimeDifferenceM;
    BYTE res1;
    WORD wNtpPort;
    BYTE res2[8];
} NET_DVR_NTPPARA, *LPNET_DVR_NTPPARA;

/* struct NET_DVR_TIMEPOINT: sizeof 20, alignof 4 (Linux x86_64). A DST change: month, week of the month, weekday, hour, minute. */
typedef struct NET_DVR_TIMEPOINT {
    DWORD dwMonth;
    DWORD dwWeekNo;
    DWORD dwWeekDate;
    DWORD dwHour;
    DWORD dwMin;
} NET_DVR_TIMEPOINT, *LPNET_DVR_TIMEPOINT;

/* struct NET_DVR_ZONEANDDST: sizeof 68, alignof 4 (Linux x86_64). GET/SET_ZONEANDDST. */
typedef struct NET_DVR_ZONEANDDST {
    DWORD dwSize;
    DWORD dwZoneIndex;
    BYTE byRes1[12];
    DWORD dwEnableDST;
    BYTE byDSTBias;
    BYTE byRes2[3];
    NET_DVR_TIMEPOINT struBeginPoint;
    NET_DVR_TIMEPOINT struEndPoint;
} NET_DVR_ZONEANDDST, *LPNET_DVR_ZONEANDDST;
/* ---- end of time and time-zone configuration ---- */

/* ---- Functions ---- */
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Call once per process before other SDK calls (demo code calls NET_DVR_SetSDKInitCfg before it). */
BOOL NET_DVR_Init(void);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Call once at exit after all handles are closed/logged out. */
BOOL NET_DVR_Cleanup(void);
/** Returns the error code of the last failed SDK call (0 = NET_DVR_NOERROR). Has no failure value. The vendor header does not say it is per-thread; 6.1.9.55 Linux libHCCore reads it from a thread-local slot (disassembly), so call it on the failing thread right after the failure. */
DWORD NET_DVR_GetLastError(void);
/** Returns a char* to an SDK-owned message for the last error (do not free); if pErrorNo != NULL it receives the error code. The vendor header's C++ default arguments: pErrorNo=NULL. */
char* NET_DVR_GetErrorMsg(LONG* pErrorNo);
/** void. Out: module code and device extended error code of the last error. */
void NET_DVR_GetLastErrorModelCode(DWORD* pModelCode, DWORD* pMErrDevSelfEx);
/** DWORD version. Commonly decoded as major = high 16 bits, minor = low 16 bits (not stated in header). */
DWORD NET_DVR_GetSDKVersion(void);
/** DWORD. Commonly decoded as 4 bytes major.minor.revision.build from the most significant byte (e.g. 6.1.9.55 -> 0x06010937); not stated in header. */
DWORD NET_DVR_GetSDKBuildVersion(void);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. lpInBuff by enumType: NET_SDK_INIT_CFG_SDK_PATH -> NET_DVR_LOCAL_SDK_PATH*; NET_SDK_INIT_CFG_LIBEAY_PATH / _SSLEAY_PATH -> char* full path of libcrypto / libssl; NET_SDK_INIT_CFG_ABILITY -> NET_DVR_INIT_CFG_ABILITY*; NET_SDK_INIT_CFG_TYPE_CHECK_MODULE_COM -> NET_DVR_INIT_CHECK_MODULE_COM*. Demo code calls it before NET_DVR_Init. */
BOOL NET_DVR_SetSDKInitCfg(NET_SDK_INIT_CFG_TYPE enumType, void* const lpInBuff);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Buffer type depends on enumType (NET_SDK_LOCAL_CFG_TYPE; e.g. NET_DVR_LOCAL_CFG_TYPE_GENERAL -> NET_DVR_LOCAL_GENERAL_CFG). */
BOOL NET_DVR_SetSDKLocalCfg(NET_SDK_LOCAL_CFG_TYPE enumType, const void* lpInBuff);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Buffer type depends on enumType (NET_SDK_LOCAL_CFG_TYPE). */
BOOL NET_DVR_GetSDKLocalCfg(NET_SDK_LOCAL_CFG_TYPE enumType, void* lpOutBuff);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Older local-config API using NET_DVR_SDKLOCAL_CFG. */
BOOL NET_DVR_SetSDKLocalConfig(LPNET_DVR_SDKLOCAL_CFG lpSdkLocalCfg);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Older local-config API using NET_DVR_SDKLOCAL_CFG. */
BOOL NET_DVR_GetSDKLocalConfig(LPNET_DVR_SDKLOCAL_CFG lpSdkLocalCfg);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. dwWaitTime in ms. The vendor header's C++ default arguments: dwWaitTime=3000, dwTryTimes=3. */
BOOL NET_DVR_SetConnectTime(DWORD dwWaitTime, DWORD dwTryTimes);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. dwInterval in ms. The vendor header's C++ default arguments: dwInterval=30000, bEnableRecon=TRUE. */
BOOL NET_DVR_SetReconnect(DWORD dwInterval, BOOL bEnableRecon);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Timeout in ms. The vendor header's C++ default arguments: nRecvTimeOut=5000. */
BOOL NET_DVR_SetRecvTimeOut(DWORD nRecvTimeOut);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. The vendor header's C++ default arguments: nLogLevel=0, strLogDir=NULL, bAutoDel=TRUE. */
BOOL NET_DVR_SetLogToFile(DWORD nLogLevel, char* strLogDir, BOOL bAutoDel);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Linux/macOS signature shown (reserved1, reserved2 unused); on Windows the first two params are UINT nMessage, HWND hWnd. Callback type: EXCEPTIONCALLBACK. */
BOOL NET_DVR_SetExceptionCallBack_V30(UINT reserved1, void* reserved2, EXCEPTIONCALLBACK fExceptionCallBack, void* pUser);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. strIP is a 16x16 char array (up to 16 IPv4 strings). */
BOOL NET_DVR_GetLocalIP(char strIP[16][16], DWORD* pValidNum, BOOL* pEnableBind);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. dwIPIndex indexes the list returned by NET_DVR_GetLocalIP. */
BOOL NET_DVR_SetValidIP(DWORD dwIPIndex, BOOL bEnableBind);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_GetSDKState(LPNET_DVR_SDKSTATE pSDKState);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_GetSDKAbility(LPNET_DVR_SDKABL pSDKAbl);
/** LONG user ID >= 0 on success, -1 on failure -> NET_DVR_GetLastError. With bUseAsynLogin set, the result is delivered via cbLoginResult (fLoginResultCallBack). */
LONG NET_DVR_Login_V40(LPNET_DVR_USER_LOGIN_INFO pLoginInfo, LPNET_DVR_DEVICEINFO_V40 lpDeviceInfo);
/** LONG user ID >= 0 on success, -1 on failure -> NET_DVR_GetLastError. */
LONG NET_DVR_Login_V30(char* sDVRIP, WORD wDVRPort, char* sUserName, char* sPassword, LPNET_DVR_DEVICEINFO_V30 lpDeviceInfo);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_Logout(LONG lUserID);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_Logout_V30(LONG lUserID);
/** LONG real-play handle >= 0 on success, -1 on failure -> NET_DVR_GetLastError. Callback type REALDATACALLBACK (may be NULL). The vendor header's C++ default arguments: fRealDataCallBack_V30=NULL, pUser=NULL. */
LONG NET_DVR_RealPlay_V40(LONG lUserID, LPNET_DVR_PREVIEWINFO lpPreviewInfo, REALDATACALLBACK fRealDataCallBack_V30, void* pUser);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_StopRealPlay(LONG lRealHandle);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Legacy: user data passed as DWORD dwUser (32-bit; cannot carry a pointer on 64-bit). */
BOOL NET_DVR_SetRealDataCallBack(LONG lRealHandle, REALDATACALLBACK_DWUSER fRealDataCallBack, DWORD dwUser);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Same callback shape as REALDATACALLBACK (void* pUser). */
BOOL NET_DVR_SetRealDataCallBackEx(LONG lRealHandle, REALDATACALLBACK fRealDataCallBack, void* pUser);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Legacy DWORD dwUser variant. */
BOOL NET_DVR_SetStandardDataCallBack(LONG lRealHandle, REALDATACALLBACK_DWUSER fStdDataCallBack, DWORD dwUser);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_SetStandardDataCallBackEx(LONG lRealHandle, REALDATACALLBACK fStdDataCallBack, void* pUser);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_SaveRealData(LONG lRealHandle, char* sFileName);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_SaveRealData_V30(LONG lRealHandle, DWORD dwTransType, char* sFileName);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_StopSaveRealData(LONG lRealHandle);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Main stream. */
BOOL NET_DVR_MakeKeyFrame(LONG lUserID, LONG lChannel);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Sub stream. */
BOOL NET_DVR_MakeKeyFrameSub(LONG lUserID, LONG lChannel);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Needs a real-play handle. dwStop: 0 start, 1 stop. Commands: the PTZ control constants (ZOOM_IN, TILT_UP, PAN_LEFT, ...). */
BOOL NET_DVR_PTZControl(LONG lRealHandle, DWORD dwPTZCommand, DWORD dwStop);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. By user ID + channel (no preview needed). */
BOOL NET_DVR_PTZControl_Other(LONG lUserID, LONG lChannel, DWORD dwPTZCommand, DWORD dwStop);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_PTZControlWithSpeed(LONG lRealHandle, DWORD dwPTZCommand, DWORD dwStop, DWORD dwSpeed);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_PTZControlWithSpeed_Other(LONG lUserID, LONG lChannel, DWORD dwPTZCommand, DWORD dwStop, DWORD dwSpeed);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Commands SET_PRESET / CLE_PRESET / GOTO_PRESET. */
BOOL NET_DVR_PTZPreset(LONG lRealHandle, DWORD dwPTZPresetCmd, DWORD dwPresetIndex);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_PTZPreset_Other(LONG lUserID, LONG lChannel, DWORD dwPTZPresetCmd, DWORD dwPresetIndex);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Patrol (*_SEQ) commands. */
BOOL NET_DVR_PTZCruise(LONG lRealHandle, DWORD dwPTZCruiseCmd, BYTE byCruiseRoute, BYTE byCruisePoint, WORD wInput);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_PTZCruise_Other(LONG lUserID, LONG lChannel, DWORD dwPTZCruiseCmd, BYTE byCruiseRoute, BYTE byCruisePoint, WORD wInput);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Pattern (*_CRUISE) commands. */
BOOL NET_DVR_PTZTrack(LONG lRealHandle, DWORD dwPTZTrackCmd);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_PTZTrack_Other(LONG lUserID, LONG lChannel, DWORD dwPTZTrackCmd);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. lpOutBuffer type/size depends on dwCommand; lpBytesReturned receives bytes written. */
BOOL NET_DVR_GetDVRConfig(LONG lUserID, DWORD dwCommand, LONG lChannel, LPVOID lpOutBuffer, DWORD dwOutBufferSize, LPDWORD lpBytesReturned);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_SetDVRConfig(LONG lUserID, DWORD dwCommand, LONG lChannel, LPVOID lpInBuffer, DWORD dwInBufferSize);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Batch config; per-item status in lpStatusList. */
BOOL NET_DVR_GetDeviceConfig(LONG lUserID, DWORD dwCommand, DWORD dwCount, LPVOID lpInBuffer, DWORD dwInBufferSize, LPVOID lpStatusList, LPVOID lpOutBuffer, DWORD dwOutBufferSize);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_SetDeviceConfig(LONG lUserID, DWORD dwCommand, DWORD dwCount, LPVOID lpInBuffer, DWORD dwInBufferSize, LPVOID lpStatusList, LPVOID lpInParamBuffer, DWORD dwInParamBufferSize);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_GetSTDConfig(LONG lUserID, DWORD dwCommand, LPNET_DVR_STD_CONFIG lpConfigParam);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_SetSTDConfig(LONG lUserID, DWORD dwCommand, LPNET_DVR_STD_CONFIG lpConfigParam);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_STDControl(LONG lUserID, DWORD dwCommand, LPNET_DVR_STD_CONTROL lpControlParam);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. ISAPI passthrough; status XML in lpOutputParam->lpStatusBuffer. */
BOOL NET_DVR_STDXMLConfig(LONG lUserID, NET_DVR_XML_CONFIG_INPUT* lpInputParam, NET_DVR_XML_CONFIG_OUTPUT* lpOutputParam);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_RemoteControl(LONG lUserID, DWORD dwCommand, LPVOID lpInBuffer, DWORD dwInBufferSize);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_RebootDVR(LONG lUserID);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_ShutDownDVR(LONG lUserID);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. pOutBuf receives capability XML (for most ability types). */
BOOL NET_DVR_GetDeviceAbility(LONG lUserID, DWORD dwAbilityType, char* pInBuf, DWORD dwInLength, char* pOutBuf, DWORD dwOutLength);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Writes a JPEG file. */
BOOL NET_DVR_CaptureJPEGPicture(LONG lUserID, LONG lChannel, LPNET_DVR_JPEGPARA lpJpegPara, char* sPicFileName);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. Writes into caller buffer; lpSizeReturned receives size (NET_DVR_NOENOUGH_BUF=43 if too small). */
BOOL NET_DVR_CaptureJPEGPicture_NEW(LONG lUserID, LONG lChannel, LPNET_DVR_JPEGPARA lpJpegPara, char* sJpegPicBuffer, DWORD dwPicSize, LPDWORD lpSizeReturned);
/** LONG find handle >= 0 on success, -1 on failure. */
LONG NET_DVR_FindFile_V40(LONG lUserID, LPNET_DVR_FILECOND_V40 pFindCond);
/** LONG status: NET_DVR_FILE_SUCCESS 1000, NET_DVR_FILE_NOFIND 1001, NET_DVR_ISFINDING 1002 (call again), NET_DVR_NOMOREFILE 1003, NET_DVR_FILE_EXCEPTION 1004, NET_DVR_FIND_TIMEOUT 1005; -1 on failure. */
LONG NET_DVR_FindNextFile_V40(LONG lFindHandle, LPNET_DVR_FINDDATA_V40 lpFindData);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_FindClose_V30(LONG lFindHandle);
/** LONG handle >= 0 on success, -1 on failure -> NET_DVR_GetLastError. Start transfer with NET_DVR_PlayBackControl_V40(NET_DVR_PLAYSTART). */
LONG NET_DVR_GetFileByTime_V40(LONG lUserID, char* sSavedFileName, LPNET_DVR_PLAYCOND pDownloadCond);
/** LONG handle >= 0 on success, -1 on failure -> NET_DVR_GetLastError. Start transfer with NET_DVR_PlayBackControl_V40(NET_DVR_PLAYSTART). */
LONG NET_DVR_GetFileByName(LONG lUserID, char* sDVRFileName, char* sSavedFileName);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_StopGetFile(LONG lFileHandle);
/** int progress 0-100 (100 = done); -1 on failure; 200 = network error (per SDK manual convention, not in header). */
int NET_DVR_GetDownloadPos(LONG lFileHandle);
/** LONG handle >= 0 on success, -1 on failure -> NET_DVR_GetLastError. */
LONG NET_DVR_PlayBackByTime_V40(LONG lUserID, const NET_DVR_VOD_PARA * pVodPara);
/** LONG handle >= 0 on success, -1 on failure -> NET_DVR_GetLastError. */
LONG NET_DVR_PlayBackByName(LONG lUserID, char* sPlayBackFileName, HWND hWnd);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. dwControlCode: a playback control code (NET_DVR_PLAYSTART, NET_DVR_PLAYPAUSE, ...); in/out buffers depend on code. The vendor header's C++ default arguments: lpInBuffer=NULL, dwInLen=0, lpOutBuffer=NULL, lpOutLen=NULL. */
BOOL NET_DVR_PlayBackControl_V40(LONG lPlayHandle, DWORD dwControlCode, LPVOID lpInBuffer, DWORD dwInLen, LPVOID lpOutBuffer, DWORD* lpOutLen);
/** int progress 0-100; -1 on failure (per SDK manual convention). */
int NET_DVR_GetPlayBackPos(LONG lPlayHandle);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_SetPlayDataCallBack_V40(LONG lPlayHandle, REALDATACALLBACK fPlayDataCallBack_V40, void* pUser);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_StopPlayBack(LONG lPlayHandle);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_SetDVRMessageCallBack_V30(MSGCallBack fMessageCallBack, void* pUser);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_SetDVRMessageCallBack_V31(MSGCallBack_V31 fMessageCallBack, void* pUser);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. iIndex selects one of several callback slots. */
BOOL NET_DVR_SetDVRMessageCallBack_V50(int iIndex, MSGCallBack fMessageCallBack, void* pUser);
/** LONG alarm handle >= 0 on success, -1 on failure. */
LONG NET_DVR_SetupAlarmChan_V30(LONG lUserID);
/** LONG alarm handle >= 0 on success, -1 on failure. */
LONG NET_DVR_SetupAlarmChan_V41(LONG lUserID, LPNET_DVR_SETUPALARM_PARAM lpSetupParam);
/** LONG alarm handle >= 0 on success, -1 on failure. pSub/dwSubSize: optional subscription XML. */
LONG NET_DVR_SetupAlarmChan_V50(LONG iUserID, LPNET_DVR_SETUPALARM_PARAM_V50 lpSetupParam, char* pSub, DWORD dwSubSize);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_CloseAlarmChan_V30(LONG lAlarmHandle);
/** LONG listen handle >= 0 on success, -1 on failure. The vendor header's C++ default arguments: pUserData=NULL. */
LONG NET_DVR_StartListen_V30(char* sLocalIP, WORD wLocalPort, MSGCallBack DataCallback, void* pUserData);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_StopListen_V30(LONG lListenHandle);
/** LONG handle >= 0 on success, -1 on failure. Long-connection config; results via fRemoteConfigCallback or GetNextRemoteConfig. */
LONG NET_DVR_StartRemoteConfig(LONG lUserID, DWORD dwCommand, LPVOID lpInBuffer, DWORD dwInBufferLen, fRemoteConfigCallback cbStateCallback, LPVOID pUserData);
/** LONG status NET_SDK_GET_NEXT_STATUS_* (1000-1003); -1 on failure. */
LONG NET_DVR_GetNextRemoteConfig(LONG lHandle, void* lpOutBuff, DWORD dwOutBuffSize);
/** LONG status NET_SDK_CONFIG_STATUS_* (1000-1004); -1 on failure. */
LONG NET_DVR_SendWithRecvRemoteConfig(LONG lHandle, void* lpInBuff, DWORD dwInBuffSize, void* lpOutBuff, DWORD dwOutBuffSize, DWORD* dwOutDataLen);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_SendRemoteConfig(LONG lHandle, DWORD dwDataType, char* pSendBuf, DWORD dwBufSize);
/** BOOL: TRUE on success, FALSE (0) on failure -> NET_DVR_GetLastError. */
BOOL NET_DVR_StopRemoteConfig(LONG lHandle);

#endif /* HCNETSDK_RS_H */
