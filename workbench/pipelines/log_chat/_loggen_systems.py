"""The 16 system styles of ``loggen``: line headers and message templates (written for it).

Some templates exercise one merging rule each: names with few values that fill a variable in two
templates (``spool job for account {acct} …``), verbs that start a message and stay constant
(``reboot (request {int})``), an empty value (``({opthost})``) and dotted identifiers with few
values (``widget shown when {prop}``).

A header function gets the generator, a clock (epoch seconds) and the template's component and
returns the text before the message. Template syntax is described in ``loggen``.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable

Rng = random.Random
_MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DAY = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _t(clock: int) -> time.struct_time:
    return time.gmtime(clock)


def _ms(r: Rng) -> str:
    return f"{r.randint(0, 999):03d}"


def _iso(clock: int, r: Rng, sep: str = ",") -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", _t(clock)) + sep + _ms(r)


def _syslog(clock: int) -> str:
    t = _t(clock)
    return f"{_MON[t.tm_mon - 1]} {t.tm_mday:>2} {time.strftime('%H:%M:%S', t)}"


def _level(r: Rng, comp: str) -> str:
    return comp.split("|")[0]


def _comp(comp: str) -> str:
    return comp.split("|")[-1]


def _h_hdfs(r: Rng, c: int, comp: str) -> str:
    return f"{time.strftime('%y%m%d %H%M%S', _t(c))} {r.randint(10, 3000)} {_level(r, comp)} " \
           f"{_comp(comp)}: "


def _h_hadoop(r: Rng, c: int, comp: str) -> str:
    thread = r.choice(["main", "AsyncDispatcher event handler", (f"IPC Server handler "
                       f"{r.randint(0, 29)} on {r.randint(30000, 65000)}"),
                       f"ContainerLauncher #{r.randint(0, 9)}", "RMCommunicator Allocator"])
    return f"{_iso(c, r)} {_level(r, comp)} [{thread}] {_comp(comp)}: "


def _h_spark(r: Rng, c: int, comp: str) -> str:
    return f"{time.strftime('%y/%m/%d %H:%M:%S', _t(c))} {_level(r, comp)} {_comp(comp)}: "


def _h_zookeeper(r: Rng, c: int, comp: str) -> str:
    thread = r.choice([f"QuorumPeer[myid={r.randint(1, 5)}]/0.0.0.0:2181",
                       "NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181",
                       f"SyncThread:{r.randint(1, 5)}", f"WorkerSender[myid={r.randint(1, 5)}]"])
    return f"{_iso(c, r)} - {_level(r, comp):<5} [{thread}:{_comp(comp)}@{r.randint(50, 900)}] - "


def _node(r: Rng) -> str:
    return f"R{r.randint(0, 7)}{r.randint(0, 7)}-M{r.randint(0, 1)}-N{r.randint(0, 15)}-" \
           f"C:J{r.randint(2, 17):02d}-U{r.randint(1, 11):02d}"


def _h_bgl(r: Rng, c: int, comp: str) -> str:
    node = _node(r)
    stamp = time.strftime("%Y-%m-%d-%H.%M.%S", _t(c)) + f".{r.randint(0, 999999):06d}"
    flag = "-" if r.random() < 0.9 else r.choice(["KERNDTLB", "APPSEV", "KERNSTOR"])
    return f"{flag} {c} {time.strftime('%Y.%m.%d', _t(c))} {node} {stamp} {node} RAS " \
           f"{_comp(comp)} {_level(r, comp)} "


def _h_hpc(r: Rng, c: int, comp: str) -> str:
    return f"{r.randint(100000, 999999)} node-{r.randint(0, 300)} {_comp(comp)} {c} 1 "


def _h_thunderbird(r: Rng, c: int, comp: str) -> str:
    host = r.choice(["dn", "bn", "cn", "an"]) + str(r.randint(1, 999))
    return f"- {c} {time.strftime('%Y.%m.%d', _t(c))} {host} {_syslog(c)} {host}/{host} " \
           f"{_comp(comp)}[{r.randint(100, 32000)}]: "


def _h_windows(r: Rng, c: int, comp: str) -> str:
    return f"{time.strftime('%Y-%m-%d %H:%M:%S', _t(c))}, {_level(r, comp):<22}" \
           f"{_comp(comp):<7}"


def _h_linux(r: Rng, c: int, comp: str) -> str:
    return f"{_syslog(c)} combo {_comp(comp)}[{r.randint(100, 32000)}]: "


def _h_android(r: Rng, c: int, comp: str) -> str:
    stamp = time.strftime("%m-%d %H:%M:%S", _t(c)) + "." + _ms(r)
    return f"{stamp} {r.randint(100, 9999):>5} {r.randint(100, 9999):>5} {_level(r, comp)} " \
           f"{_comp(comp)}: "


def _h_healthapp(r: Rng, c: int, comp: str) -> str:
    return f"{time.strftime('%Y%m%d-%H:%M:%S', _t(c))}:{r.randint(0, 999)}|{_comp(comp)}|" \
           f"{r.randint(10**7, 10**8)}|"


def _h_apache(r: Rng, c: int, comp: str) -> str:
    t = _t(c)
    return f"[{_DAY[t.tm_wday]} {_MON[t.tm_mon - 1]} {t.tm_mday:02d} " \
           f"{time.strftime('%H:%M:%S %Y', t)}] [{_level(r, comp)}] "


def _h_proxifier(r: Rng, c: int, comp: str) -> str:
    prog = r.choice(("chrome.exe", "firefox.exe", "outlook.exe", "slack.exe", "teams.exe",
                     "svchost.exe", "git.exe", "python.exe", "code.exe", "zoom.exe"))
    return f"[{time.strftime('%m.%d %H:%M:%S', _t(c))}] {prog} - "


def _h_openssh(r: Rng, c: int, comp: str) -> str:
    return f"{_syslog(c)} gateway sshd[{r.randint(1000, 32000)}]: "


def _h_openstack(r: Rng, c: int, comp: str) -> str:
    req = (f"[req-{r.getrandbits(32):08x}-{r.getrandbits(16):04x}-{r.getrandbits(16):04x}-"
           f"{r.getrandbits(16):04x}-{r.getrandbits(48):012x} {r.getrandbits(128):032x} "
           f"{r.getrandbits(128):032x} - - -]") if r.random() < 0.8 else "[-]"
    log = r.choice(["nova-api.log.1", "nova-compute.log.2", "nova-scheduler.log.1"])
    return f"{log}.2024-03-0{r.randint(1, 9)}_12:00:00 {_iso(c, r, '.')} {r.randint(1000, 40000)}" \
           f" {_level(r, comp)} {_comp(comp)} {req} "


def _h_mac(r: Rng, c: int, comp: str) -> str:
    host = f"guest-10-{r.randint(0, 255)}-{r.randint(0, 255)}-{r.randint(0, 255)}" \
        if r.random() < 0.7 else "studio-MacBook-Air"
    return f"{_syslog(c)} {host} {_comp(comp)}[{r.randint(0, 9999)}]: "


Header = Callable[[Rng, int, str], str]
SYSTEM_SPECS: dict[str, dict] = {
    "hdfs": {"header": _h_hdfs, "components": [
        "INFO|dfs.DataNode$PacketResponder", "INFO|dfs.FSNamesystem", "INFO|dfs.DataNode",
        "WARN|dfs.DataNode$DataXceiver", "INFO|dfs.FSDataset"], "templates": [
        "PacketResponder {small} for block {blk} {=terminating|interrupted}",
        ("BLOCK* NameSystem.addStoredBlock: blockMap updated: {ipport} is added to {blk} "
        "size {int}"),
        "Receiving block {blk} src: /{ipport} dest: /{ipport}",
        "{ipport}:Got exception while serving {blk} to /{ip}:",
        "Deleting block {blk} file {dpath}",
        "Received block {blk} of size {int} from /{ip}",
        "BLOCK* NameSystem.allocateBlock: {dpath}. {blk}",
        "BLOCK* ask {ipport} to replicate {blk} to datanode(s) {ips}",
        "Verification {=succeeded|failed} for {blk}",
        "{ipport} Starting thread to transfer block {blk} to {ipport}",
        "writeBlock {blk} received exception java.io.IOException: Connection reset by peer",
        "BLOCK* NameSystem.delete: {blk} is added to invalidSet of {ipport}"]},
    "hadoop": {"header": _h_hadoop, "components": [
        "INFO|org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl",
        "INFO|org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator",
        "WARN|org.apache.hadoop.hdfs.DFSClient", "INFO|org.apache.hadoop.ipc.Server"],
        "templates": [
        ("{attempt} TaskAttempt Transitioned from {=NEW to UNASSIGNED|UNASSIGNED to ASSIGNED|"
        "ASSIGNED to RUNNING|RUNNING to SUCCESS_CONTAINER_CLEANUP}"),
        "Progress of TaskAttempt {attempt} is : {float}",
        "Assigned container container_{big}_{int}_01_{int} to {attempt}",
        ("Scheduling: PendingReds:{int} ScheduledMaps:{int} ScheduledReds:{int} "
        "AssignedMaps:{int} CompletedMaps:{int} HostLocal:{int} RackLocal:{int}"),
        ("Retrying connect to server: {host}:{port}. Already tried {small} time(s); "
        "retry policy is RetryUpToMaximumCountWithFixedSleep(maxRetries={small}, "
        "sleepTime={int} MILLISECONDS)"),
        "Address change detected. Old: {host}/{ip}:{port} New: {host}:{port}",
        "Registering class {cls} for class {cls}",
        "Starting Socket Reader #{small} for port {port}",
        "Job {job} Transitioned from {=INITED to SETUP|SETUP to RUNNING}",
        ("Error Recovery for block BP-{big}-{ip}-{big}:{blk} in pipeline {ipport}, {ipport}: "
        "bad datanode {ipport}"),
        "Default file system [hdfs://{host}:{port}]",
        "Executing with tokens:"]},
    "spark": {"header": _h_spark, "components": [
        "INFO|executor.Executor", "INFO|storage.BlockManager", "INFO|storage.MemoryStore",
        "INFO|spark.SecurityManager"], "templates": [
        "Running task {float} in stage {float} (TID {int})",
        "Finished task {float} in stage {float} (TID {int}). {int} bytes result sent to driver",
        ("Block broadcast_{int}_piece{small} stored as {=bytes|values} in memory (estimated size "
        "{float} KB, free {float} GB)"),
        "Found block rdd_{int}_{int} {=locally|remotely}",
        "Reading broadcast variable {int} took {int} ms",
        "Changing {=view|modify} acls to: {user},{user}",
        "Partition rdd_{int}_{int} not found, computing it",
        "Successfully started service 'sparkDriver' on port {port}.",
        "Input split: hdfs://{host}:{port}/pjhe/test/{int}/part-{int}:{int}+{int}",
        "Times: total = {int}, boot = {int}, init = {int}, finish = {int}",
        "Got assigned task {int}",
        "Starting executor ID {int} on host {host}"]},
    "zookeeper": {"header": _h_zookeeper, "components": [
        "INFO|NIOServerCnxn", "WARN|QuorumCnxManager", "INFO|FastLeaderElection"], "templates": [
        "Accepted socket connection from /{ipport}",
        "Closed socket connection for client /{ipport} which had sessionid 0x{hex8}",
        "Client attempting to establish new session at /{ipport}",
        "Established session 0x{hex8} with negotiated timeout {int} for client /{ipport}",
        "Expiring session 0x{hex8}, timeout of {int}ms exceeded",
        ("Notification: {small} (n.leader), 0x{hex8} (n.zxid), 0x{small} (n.round), "
        "{=LOOKING|FOLLOWING} (n.state), {small} (n.sid), 0x{small} (n.peerEPoch), "
        "{=LOOKING|LEADING} (my state)"),
        "Cannot open channel to {small} at election address /{ipport}",
        "caught end of stream exception",
        "Connection broken for id {small}, my id = {small}, error =",
        "Processed session termination for sessionid: 0x{hex8}",
        "Server environment:{envkey}={name}",
        "{=LOOKING|FOLLOWING|LEADING}"]},
    "bgl": {"header": _h_bgl, "components": [
        "INFO|KERNEL", "FATAL|KERNEL", "FATAL|APP", "ERROR|MMCS"], "templates": [
        "instruction cache parity error corrected",
        "generating core.{int}",
        "{int} double-hummer alignment exceptions",
        "CE sym {small}, at 0x{hex8}, mask 0x{hex8}",
        "data TLB error interrupt",
        ("ciod: failed to read message prefix on control stream (CioStream socket to "
        "{ipport}"),
        ("ciod: Error loading {file}: invalid or missing program image, {=No such file or "
        "directory|Permission denied}"),
        ("{=machine check enable|debug wait enable|floating point instr. enabled}"
        "..............{small}"),
        "total of {int} ddr error(s) detected and corrected over {int} seconds",
        "rts: kernel terminated for reason {int}",
        "iar 0x{hex8} dear 0x{hex8}",
        "NFS Mount failed on bglio{int}, slept {int} seconds, retrying ({int})",
        "Lustre mount FAILED : bglio{int} : block_id : location"]},
    "hpc": {"header": _h_hpc, "components": [
        "unix.hw state_change.unavailable", "node status", "switch_module ambient"],
        "templates": [
        "{=running|starting|halted|configured out|not responding|booting}",
        ("Component State Change: Component \\0x{hex8}\\ is in the unavailable state "
        "(HWID={int})"),
        "Temperature ({int}C) exceeds warning threshold",
        "Link error on broadcast tree Interconnect-{small}T{small}:{small}:{small}:{small}",
        "boot (command {int}) Error: HALT asserted",
        "ClusterFileSystem: There is no server for ServerFileSystem domain {name}{small}",
        "Fan speeds ( {ints} )",
        ("NIFF: node node-{int} {=detected a failed|has detected an available} network "
        "connection on network {ip} via interface alt0"),
        "psu failure ambient={int}",
        "inconsistent nodesets node-{int} {csv} <ok>",
        "{=reboot|poweroff|wakeup|reflash|diagnose|fence|unfence} (request {int})"]},
    "thunderbird": {"header": _h_thunderbird, "components": [
        "sshd(pam_unix)", "dhcpd", "crond", "kernel", "ntpd"], "templates": [
        "session {=opened|closed} for user {user}",
        "DHCPREQUEST for {ip} ({ip}) from {mac} via eth1",
        "(root) CMD (run-parts /etc/cron.{=hourly|daily})",
        "DHCPACK on {ip} to {mac} via eth1",
        "synchronized to {ip}, stratum {small}",
        "kernel time sync {=enabled|disabled} {int}",
        "ACPI: PCI Interrupt Link [LNK{small}] (IRQs {ints}) *{small}",
        "Intel(R) Xeon(TM) CPU {float}GHz stepping {small}",
        ("RRD_update ({file}): illegal attempt to update using time {big} when last update "
        "time is {big} (minimum one second step)"),
        "Warning: we failed to resolve data source name {host}",
        "connection lost: 'Connection closed.'",
        "Server listening on :: port {port}."]},
    "windows": {"header": _h_windows, "components": [
        "Info|CBS", "Info|CSI", "Warning|CBS", "Info|SQM"], "templates": [
        ("Loaded Servicing Stack v{float}.{int} with Core: C:\\Windows\\winsxs\\amd64_stack_"
        "{hex32}\\cbscore.dll"),
        "{addr} CSI Transaction @{addr} {=destroyed|initialized}",
        "Session: {int}_{int} initialized by client {=WindowsUpdateAgent|SPP}.",
        ("Read out cached package applicability for package: Package_for_KB{int}~{hex8}~amd64~~"
        "{float}, ApplicableState: {int}, CurrentState:{int}"),
        "{=Starting|Ending} TrustedInstaller {=initialization|finalization}.",
        "Warning: Unrecognized packageExtended attribute.",
        ("SQM: Queued {small} file(s) for upload with pattern: C:\\Windows\\servicing\\sqm\\*_std"
        ".sqm, flags: 0x{small}"),
        "Failed to internally open package. [HRESULT = 0x{hex8} - CBS_E_INVALID_PACKAGE]",
        "Scavenge: {=Starts|Begin CSI Store}",
        "Reboot mark refs: {small}",
        "Unloading offline registry hive: {name}"]},
    "linux": {"header": _h_linux, "components": [
        "sshd(pam_unix)", "ftpd", "su(pam_unix)", "kernel", "syslogd"], "templates": [
        "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost={ip}",
        "connection from {ip} ({host}) at {time} 2024",
        "session {=opened|closed} for user {user} by (uid={int})",
        "check pass; user unknown",
        "ANONYMOUS FTP LOGIN FROM {ip}, (anonymous)",
        "{=cupsd|klogd|syslogd|portmap} {=startup|shutdown} succeeded",
        "Memory: {int}k/{int}k available ({int}k kernel code, {int}k reserved)",
        "audit({float}:{int}): initialized",
        "User unknown timed out after {int} seconds at {time} 2024",
        "creating device node '/udev/{name}'",
        "PCI: Using configuration type {small}",
        "Received SNMP packet(s) from {ip}",
        "spool job for account {acct} queued by (uid={int})",
        "spool job for account {acct} finished",
        "ftp transfer from {ip} ({opthost}) at {time} 2024"]},
    "android": {"header": _h_android, "components": [
        "D|PowerManagerService", "I|ActivityManager", "V|WindowManager", "D|StatusBar"],
        "templates": [
        ("acquire lock={int}, flags=0x{hex8}, tag=\"{name}\", name={cls}, ws=null, uid={int}, "
        "pid={int}"),
        ("release:lock={int}, flg=0x0, tag=\"{name}\", name={cls}, ws=null, uid={int}, "
        "pid={int}"),
        ("Skipping AppWindowToken{{hex8} token=Token{{hex8} ActivityRecord{{hex8} u0 "
        "{cls}/.{name}Activity t{int}}}} -- going to hide"),
        "setLightsOn({=true|false})",
        "updateNotificationShade: total={small}, active={small}",
        "Start proc {int}:{cls}/u0a{int} for service {cls}/.{name}Service",
        "getRunningAppProcesses: caller {int} does not hold REAL_GET_TASKS; limiting output",
        "widget shown when {prop}",
        "interceptKeyTq keycode={int} interactive=true down {=true|false} canceled false",
        "printFreezingDisplayLogsopening app wtoken = AppWindowToken{{hex8}}, allDrawn= false",
        "cancelNotificationLocked,remove ={cls}",
        "Killing {int}:{cls}/u0a{int} (adj {int}): empty for {int}s",
        "onTouchEvent::{small}, x={float}, y={float}"]},
    "healthapp": {"header": _h_healthapp, "components": [
        "Step_LSC", "Step_SPUtils", "Step_StandReportReceiver", "HiH_HiSyncUtil"],
        "templates": [
        "onStandStepChanged {int}",
        "onExtend:{big} {int} {int} {int}",
        "getTodayTotalDetailSteps = {big}##{int}##{int}##{int}",
        "setTodayTotalDetailSteps={big}##{int}##{int}",
        ("processHandleBroadcastAction action:android.intent.action.{=SCREEN_ON|SCREEN_OFF|"
        "TIME_TICK}"),
        "REPORT : {int} {int} {int} {int}",
        "calculateCaloriesWithCache totalCalories={int}",
        "flush sensor data",
        "getStepCounterStatus",
        ("insertHiHealthData() bulkSaveDetailHiHealthData fail errorCode = {small},"
        "errorMessage = ERR_DATA_INSERT"),
        "upLoadOneMinuteDataToEngine time={big},step={int},calorie={int}"]},
    "apache": {"header": _h_apache, "components": ["notice", "error", "notice", "error"],
               "templates": [
        "jk2_init() Found child {int} in scoreboard slot {small}",
        "workerEnv.init() ok /etc/httpd/conf/workers2.properties",
        "mod_jk child workerEnv in error state {small}",
        "[client {ip}] Directory index forbidden by rule: /var/www/html/",
        "jk2_init() Can't find child {int} in scoreboard",
        "mod_jk child init {small} -{small}",
        "[client {ip}] File does not exist: {file}",
        "caught SIGTERM, shutting down"]},
    "proxifier": {"header": _h_proxifier, "components": ["-"], "templates": [
        "{host}:{port} open through proxy proxy.corp.example.org:{port} {=HTTPS|SOCKS5}",
        "{host}:{port} close, {int} bytes sent, {int} bytes received, lifetime {time}",
        ("{host}:{port} error : Could not connect to proxy proxy.corp.example.org:{port} - "
        "connection attempt failed with error {int}"),
        "{host}:{port} error : A connection request was canceled before the completion.",
        "{host}:{port} close, {size} sent, {size} received, lifetime <1 sec",
        "{ipport} open directly"]},
    "openssh": {"header": _h_openssh, "components": ["-"], "templates": [
        "Failed password for {user} from {ip} port {port} ssh2",
        "Failed password for invalid user {user} from {ip} port {port} ssh2",
        "Invalid user {user} from {ip}",
        "input_userauth_request: invalid user {user} [preauth]",
        ("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
        "rhost={ip}  user={user}"),
        "Received disconnect from {ip}: 11: {=Bye Bye|Normal Shutdown} [preauth]",
        "Connection closed by {ip} [preauth]",
        ("reverse mapping checking getaddrinfo for {host} [{ip}] failed - POSSIBLE BREAK-IN "
        "ATTEMPT!"),
        "Accepted {=password|publickey} for {user} from {ip} port {port} ssh2",
        "Did not receive identification string from {ip}",
        "pam_unix(sshd:session): session {=opened|closed} for user {user}",
        "Disconnecting: Too many authentication failures for {=admin|root} [preauth]",
        ("PAM {small} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= "
        "rhost={ip}")]},
    "openstack": {"header": _h_openstack, "components": [
        "INFO|nova.osapi_compute.wsgi.server", "INFO|nova.compute.manager",
        "INFO|nova.virt.libvirt.imagecache", "WARNING|nova.compute.claims"], "templates": [
        ("{ip} \"{=GET|POST|DELETE} /v2/{hex32}/servers/detail HTTP/1.1\" status: {int} "
        "len: {int} time: {float}"),
        "[instance: {uuid}] VM {=Started|Stopped|Paused|Resumed} (Lifecycle Event)",
        ("[instance: {uuid}] Took {float} seconds to {=spawn|build} the instance on the "
        "hypervisor."),
        "[instance: {uuid}] Attempting claim: memory {int} MB, disk {int} GB, vcpus {small} CPU",
        "image {hex32} at (/var/lib/nova/instances/_base/{hex32}): checking",
        "[instance: {uuid}] Terminating instance",
        "Creating event network-vif-plugged:{uuid} for instance {uuid}",
        "Auditing locally available compute resources for node {host}",
        "[instance: {uuid}] Total memory: {int} MB, used: {float} MB",
        "Removable base files: /var/lib/nova/instances/_base/{hex32}",
        ("Final resource view: name={host} phys_ram={int}MB used_ram={int}MB phys_disk={int}GB"
        " used_disk={int}GB total_vcpus={small} used_vcpus={small} pci_stats=[]")]},
    "mac": {"header": _h_mac, "components": [
        "kernel", "com.apple.cts", "QQ", "sharingd", "WindowServer"], "templates": [
        "ARPT: {float}: wl0: MDNS: IPV{=4|6} Addr: {ipv6}",
        "AirPort: Link {=Up|Down} on awdl0",
        "Sandbox: {name}({int}) deny(1) mach-lookup com.apple.{name}.{name}",
        ("com.apple.{name}.{name}: scheduler_evaluate_activity told me to run this job; however,"
        " but the start time isn't for {int} seconds.  Ignoring."),
        ("IOThunderboltSwitch<0>(0x0)::listenerCallback - Thunderbolt HPD packet for route = "
        "0x{small} port = {small} unplug = {small}"),
        "{time}.{int} : BTLE scanning {=started|stopped}",
        "hibernate_page_list_setall time: {int} ms",
        "en0: BSSID changed to {mac}",
        ("CCFile::captureLog Received Capture notice id: {big}, reason = {=AuthFail|AssocFail}"
        ":sts:{small}_rsn:{small}"),
        "Captive: CNPluginHandler en0: {=Authenticated|Evaluating|Inactive}",
        "network changed: v4(en0:{ip}) DNS+ Proxy+ SMB",
        ("Cocoa scripting error for '{hex8}': four character codes must be four characters "
        "long."),
        "PM response took {int} ms ({int}, {=powerd|QQ|WeChat})"]},
}
