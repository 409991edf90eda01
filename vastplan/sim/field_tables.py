"""The fields of each simulated collection: settable on create (C, C* = required), on PATCH (P), returned (R).

Derived from the field matrix in VMS_FIELDS.md (itself generated from VAST's OpenAPI 5.5 document), written here
in our own compact form. One row per field: ``name  C|C*|.  P|.  R|.  type``. Types:

    str  int  num  bool  obj  time (an ISO 8601 string)
    str[]  int[]  obj[]  str[][] (arrays, e.g. ``ip_ranges`` = [["a", "b"], ...])
    enum:A|B|C  enum[]:A|B (a string, or an array of strings, from that list)

Deviations from VMS_FIELDS.md, each on purpose:
- enums of fields that are only returned (never accepted) are typed ``str``: nothing validates them;
- viewpolicy ``access_flavor`` is ``enum:NFS4|SMB|ALL`` (VMS_API.md §4.2 gives the values; the matrix says str);
- global snapshot streams accept only the fields of a *local* clone on create (``name``, ``enabled``,
  ``loanee_root_path``, ``loanee_snapshot_id``, ``loanee_tenant_id``): the remote-clone fields
  (``remote_target*``, ``owner_root_snapshot``, ``owner_tenant``, ``view_replication_enabled``...) and the
  "do not specify" ones (``id``, ``guid``, ``status``, ``loanee_snapshot``) are returned only;
- async tasks (``/vtasks/``) are not in VMS_FIELDS.md: their fields come from VMS_API.md §3.1 and the spec's
  ``VTask`` schema (``state`` enum there: RUNNING|COMPLETED|FAILED|UNKNOWN|TIMEOUT|PARTIALLY_COMPLETED).
"""

from __future__ import annotations

VIEWS = """
abac_tags                           C  . R str[]
abe_max_depth                       C  P R int
abe_protocols                       C  P R str[]
alias                               C  P R str
allow_anonymous_access              C  P R bool
allow_s3_anonymous_access           C  P R bool
allowed_delegations                 C  P R enum:NONE|READ|WRITE|READ_WRITE|USE_TENANT_ALLOWED_DELEG
auto_commit                         C  P R str
bucket                              C  P R str
bucket_creators                     C  P R str[]
bucket_creators_groups              C  P R str[]
bucket_logging                      C  P R obj
bucket_owner                        C  P R str
bucket_owner_type                   C  P R str
bulk_permission_update_progress     .  . R int
bulk_permission_update_state        .  . R str
cluster                             .  . R str
cluster_id                          C  . R int
create_dir                          C  P R bool
create_dir_acl                      C  . . obj[]
create_dir_mode                     C  . . int
created                             .  . R time
default_retention_period            C  P R str
directory                           .  . R bool
effective_allowed_delegations       .  . R str
event_notifications                 C  P R obj[]
files_retention_mode                C  P R enum:NONE|GOVERNANCE|COMPLIANCE
guid                                .  . R str
has_bucket_logging_destination      .  . R bool
has_bucket_logging_sources          .  . R bool
has_nfs4_triggers                   .  . R bool
id                                  .  . R int
ignore_oos                          .  . R bool
indestructible_object_duration      C  P R int
inherit_acl                         C  . . bool
internal                            .  . R bool
is_default_subsystem                C  P R bool
is_indestructible_object_enabled    C  P R bool
is_kafka_encrypted_conn_allowed     C  P R bool
is_kafka_unencrypted_conn_allowed   C  P R bool
is_remote                           .  . R bool
is_seamless                         C  P R bool
kafka_encrypted_auth_mechanism      C  P R enum:NONE|SASL_PLAIN
kafka_first_join_group_timeout_sec  C  P R int
kafka_is_authorization_required     C  P R bool
kafka_rejoin_group_timeout_sec      C  P R int
kafka_unencrypted_auth_mechanism    C  P R enum:NONE|SASL_PLAIN
kafka_vip_pools                     C  . R int[]
locking                             C  P R bool
logical_capacity                    .  . R int
max_retention_period                C  P R str
min_retention_period                C  P R str
name                                C  P R str
nfs_interop_flags                   C  P R enum:BOTH_NFS3_AND_NFS4_INTEROP_DISABLED|ONLY_NFS3_INTEROP_ENABLED|ONLY_NFS4_INTEROP_ENABLED|BOTH_NFS3_AND_NFS4_INTEROP_ENABLED
nqn                                 .  . R str
owner                               C  . . str
owner_is_group                      C  . . bool
owner_type                          C  . . str
owning_group                        C  . . str
owning_group_type                   C  . . str
path                                C* P R str
physical_capacity                   .  . R int
policy                              .  . R str
policy_id                           C* P R int
protocols                           C  P R enum[]:NFS|SMB|NFS4|S3|ENDPOINT|DATABASE|KAFKA|BLOCK
qos_policy                          C  P R str
qos_policy_id                       C  P R int
s3_locks_retention_mode             C  P R str
s3_object_ownership_rule            C  P R str
s3_unverified_lookup                C  P R bool
s3_versioning                       C  P R bool
select_for_live_monitoring          C  P R bool
share                               C  P R str
share_acl                           C  P R obj
smb_encryption_state                C  P R enum:OFF|AVAILABLE|DESIRED|REQUIRED
sync                                .  . R str
sync_time                           .  . R str
tenant_id                           C  . R int
tenant_name                         .  . R str
title                               .  . R str
url                                 .  . R str
user_impersonation                  C  P R obj
"""

VIEWPOLICIES = """
access_flavor                             C  P R enum:NFS4|SMB|ALL
allowed_characters                        C  P R enum:LCD|NPL
apple_sid                                 C  P R bool
atime_frequency                           C  P R str
auth_source                               C  P R enum:RPC|PROVIDERS|RPC_AND_PROVIDERS
change                                    .  . R str[]
cluster                                   .  . R str
cluster_id                                C  P R int
count_views                               .  . R int
created                                   .  . R time
data_create_delete                        .  . R bool
data_modify                               .  . R bool
data_read                                 .  . R bool
disable_handle_lease                      C  P R bool
disable_read_lease                        C  P R bool
disable_write_lease                       C  P R bool
enable_access_to_snapshot_dir_in_subdirs  C  P R bool
enable_listing_of_snapshot_dir            .  . R bool
enable_snapshot_lookup                    .  . R bool
enable_visibility_of_snapshot_dir         C  P R bool
expose_id_in_fsid                         C  P R bool
flavor                                    C  P R enum:NFS|SMB|MIXED_LAST_WINS|S3_NATIVE
full                                      .  . R str[]
gid_inheritance                           C  P R enum:BSD|LINUX
guid                                      .  . R str
id                                        .  . R int
inherit_parent_mode_bits                  C  P R bool
internal                                  .  . R bool
is_block_default_policy                   C  P R bool
is_s3_default_policy                      C  P R bool
log_deleted                               .  . R bool
log_full_path                             .  . R bool
log_hostname                              .  . R bool
log_username                              .  . R bool
name                                      C* P R str
nfs_all_squash                            C  P R str[]
nfs_case_insensitive                      C  P R bool
nfs_enforce_mtls                          C  P R bool
nfs_enforce_tls                           C  P R bool
nfs_enforce_tls_relaxed                   C  P R bool
nfs_minimal_protection_level              C  P R enum:NONE|SYSTEM|KRB_AUTH_ONLY|KRB_INTEGRITY|KRB_PRIVACY
nfs_no_squash                             C  P R str[]
nfs_posix_acl                             C  P R bool
nfs_read_only                             C  P R str[]
nfs_read_write                            C  P R str[]
nfs_return_open_permissions               C  P R bool
nfs_root_squash                           C  P R str[]
path_length                               C  P R enum:LCD|NPL
permission_per_vip_pool                   C  P R obj
pretty_atime_frequency                    .  . R str
pretty_auth_source                        .  . R str
protocols                                 C  P R str[]
protocols_audit                           C  P R obj
read                                      .  . R str[]
read_only                                 C  P R str[]
read_write                                C  P R str[]
remote_mapping                            .  . R obj
s3_bucket_acl                             .  P . obj
s3_bucket_full_control                    C  . . obj[]
s3_bucket_listing                         .  . R str
s3_bucket_read                            .  . R str
s3_bucket_read_acp                        .  . R str
s3_bucket_write                           .  . R str
s3_bucket_write_acp                       .  . R str
s3_flavor_allow_free_listing              C  P R bool
s3_flavor_detect_full_pathname            C  P R bool
s3_object_acl                             C  P . obj
s3_object_full_control                    .  . R str
s3_object_read                            .  . R str
s3_object_read_acp                        .  . R str
s3_object_write                           .  . R str
s3_object_write_acp                       .  . R str
s3_read_only                              C  P R str[]
s3_read_write                             C  P R str[]
s3_special_chars_support                  C  P R bool
s3_visibility                             C  P R str[]
s3_visibility_groups                      C  P R str[]
smb_directory_mode                        C  P R int
smb_directory_mode_padded                 .  . R str
smb_file_mode                             C  P R int
smb_file_mode_padded                      .  . R str
smb_is_ca                                 C  P R bool
smb_read_only                             C  P R str[]
smb_read_write                            C  P R str[]
smb_recursive_change_notify               C  P R bool
sync                                      .  . R str
sync_time                                 .  . R str
tenant_id                                 C  P R int
tenant_name                               .  . R str
title                                     .  . R str
trash_access                              C  P R str[]
url                                       .  . R str
use_32bit_fileid                          C  P R bool
use_auth_provider                         C  P R bool
vip_pools                                 C  P R int[]
"""

QUOTAS = """
cluster                         .  . R str
cluster_id                      .  . R int
create_dir                      C  . . bool
create_dir_mode                 C  . . int
default_email                   C  P R str
default_group_quota             C  P R obj
default_user_quota              C  P R obj
enable_alarms                   C  P R bool
enable_email_providers          C  P R bool
grace_period                    C  P R str
group_quotas                    C  P R obj[]
guid                            .  . R str
hard_limit                      C  P R int
hard_limit_inodes               C  P R int
iam_role_quotas                 C  P . obj[]
id                              .  . R int
inherit_acl                     C  . . bool
internal                        .  . R bool
is_physical_quota               C  . . bool
is_user_quota                   C  P R bool
last_user_quotas_update         .  . R time
name                            C* P R str
num_blocked_users               .  . R int
num_exceeded_users              .  . R int
path                            C* . R str
percent_capacity                .  . R int
percent_inodes                  .  . R int
pretty_grace_period             .  . R str
pretty_grace_period_expiration  .  . R str
pretty_state                    .  . R str
quota_groups_ids                C  P . int[]
soft_limit                      C  P R int
soft_limit_inodes               C  P R int
state                           .  . R str
sync_state                      .  . R str
system_id                       .  . R int
tenant_id                       C  . R int
tenant_name                     .  . R str
time_to_block                   .  . R str
title                           .  . R str
url                             .  . R str
used_capacity                   .  . R int
used_capacity_tb                .  . R num
used_effective_capacity         .  . R int
used_effective_capacity_tb      .  . R num
used_inodes                     .  . R int
used_limited_capacity           .  . R int
user_quotas                     C  P R obj[]
"""

SNAPSHOTS = """
aggr_phys_estimation    .  . R int
cluster                 .  . R str
cluster_id              C  . . int
created                 .  . R str
eta_sec                 .  . R num
expiration_time         C  P R str
guid                    .  . R str
id                      .  . R int
indestructible          C  P R bool
locked                  C  P R bool
name                    C* P R str
path                    C* . R str
policy                  .  . R str
policy_id               .  . R int
protection_policy       .  . R str
protection_policy_id    .  . R int
state                   .  . R str
subsystem_related       .  . R bool
tenant_id               C  . R int
tenant_name             .  . R str
title                   .  . R str
type                    .  . R str
unique_phys_estimation  .  . R int
url                     .  . R str
"""

VIPPOOLS = """
active_cnode_ids           .  . R int[]
active_interfaces          .  . R int
bgp_config_guid            .  . R str
bgp_config_id              C  P R int
bgp_config_name            .  . R str
client_monitoring_ips      C  P R str[][]
cluster                    .  . R str
cluster_id                 C  . R int
cnode_ids                  C  P R int[]
cnode_names                C  P . str
cnodes                     .  . R str[]
domain_name                C  P R str
enable_l3                  C  . R bool
enable_weighted_balancing  C  P R bool
enabled                    C  P R bool
end_ip                     C  P R str
guid                       .  . R str
gw_ip                      C  P R str
gw_ipv6                    C  P R str
id                         .  . R int
ip_ranges                  C  P R str[][]
name                       C  P R str
peer_asn                   C  P R int
port_membership            C  P R enum:RIGHT|LEFT|ALL
ranges_summary             .  . R str
role                       C  P R enum:PROTOCOLS|REPLICATION|BIG_CATALOG|QUERY_ENGINE_CNODE_GROUP
start_ip                   C  P R str
state                      .  . R str
subnet_cidr                C* P R int
subnet_cidr_ipv6           C  P R int
sync                       .  . R str
sync_time                  .  . R str
tenant_id                  C  P R int
tenant_name                .  . R str
title                      .  . R str
url                        .  . R str
vast_asn                   C  P R int
vip_allocation             .  . R str
vlan                       C  P R int
vms_preferred              C  P R bool
"""

TENANTS = """
access_ip_ranges                          C  P R str[]
ad_provider_id                            C  P R int
ad_title                                  .  . R str
allow_disabled_users                      C  P R bool
allow_locked_users                        C  P R bool
allowed_delegations                       C  P R enum:NONE|READ|WRITE|READ_WRITE
application_users_group_name              C  P R str
capacity_rules                            C  P R obj
client_ip_ranges                          C  P R str[][]
client_ip_ranges_summary                  .  . R str
data_engine_enabled                       .  . R bool
data_engine_role_enabled                  .  P . bool
data_engine_s3_policy_enabled             .  P . bool
default_others_share_level_perm           C  P R enum:READ|CHANGE|FULL
dir                                       .  . R str
domain_name                               C  P R str
encryption_crn                            C  . R str
encryption_group                          C  . R str
encryption_group_id                       .  . R int
encryption_group_state                    .  . R str
grant_unrequested_delegations_by_default  C  P R bool
guid                                      .  . R str
id                                        .  . R int
identity_provider_name                    C  P R str
is_nfsv42_supported                       C  P R bool
krb_provider_id                           C  P R int
krb_provider_title                        .  . R str
ldap_provider_id                          C  P R int
ldap_title                                .  . R str
local_provider                            .  . R obj
local_provider_id                         C  P R int
local_provider_title                      .  . R str
login_name_primary_provider               C  P R enum:NONE|LDAP|NIS|AD|LOCAL
max_views                                 C  P R int
mtls_identifier                           C  P R str
name                                      C* . R str
nis_provider_id                           C  P R int
nis_title                                 .  . R str
oidc_provider_id                          C  P R int
oidc_provider_title                       .  . R str
posix_primary_provider                    C  P R enum:NONE|LDAP|NIS|AD|LOCAL
preferred_owning_group                    C  P R enum:PROTOCOL_BASED|POSIX_GID
qos                                       C  P R obj
require_smb_signing                       C  P R bool
smb_administrators_group_name             C  P R str
smb_allowed                               .  . R bool
smb_encryption_state                      C  P R enum:OFF|AVAILABLE|DESIRED|REQUIRED
smb_privileged_group_full_access          C  P R bool
smb_privileged_group_sid                  C  P R str
smb_privileged_user_name                  C  P R str
sync                                      .  . R str
sync_time                                 .  . R str
tenant_admins_group_name                  C  P R str
title                                     .  . R str
trash_gid                                 C  P R int
url                                       .  . R str
use_smb_native                            C  P R bool
use_smb_privileged_group                  C  P R bool
use_smb_privileged_user                   C  P R bool
vippool_names                             .  . R str[]
vippools                                  .  . R obj[]
"""

GLOBALSNAPSTREAMS = """
bw                        .  . R int
direction                 .  . R str
enabled                   C  P R bool
eta                       .  . R str
external_state            .  . R str
guid                      .  . R str
health                    .  . R str
id                        .  . R int
loanee_root_path          C* . R str
loanee_snapshot           .  . R str
loanee_snapshot_id        C* . R int
loanee_tenant             .  . R obj
loanee_tenant_id          C  . . int
name                      C* P R str
owner_root_snapshot       .  . R obj
owner_tenant              .  . R obj
remote_target             .  . R str
remote_target_id          .  . R int
restore_task              .  . R int
source_cluster            .  . R str
source_path               .  . R str
source_snapshot           .  . R str
state                     .  . R str
status                    .  . R obj
sync_progress             .  . R int
target_cluster            .  . R str
view_replication_enabled  .  . R bool
"""

VTASKS = """
end_time            .  . R str
execution_time      .  . R int
id                  .  . R int
info                .  . R obj
messages            .  . R obj
name                .  . R str
start_time          .  . R str
state               .  . R str
timeout_in_seconds  .  . R int
"""
