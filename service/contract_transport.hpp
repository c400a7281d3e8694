#pragma once
// The transport sections of the shipped `contract` profiles (profiles/contract-*.json, built into the binary):
// what the service reads both portals through until the configuration names a profile per side.
#include "connectors/transport_profile.hpp"
#include "reconcile/dossier.hpp"

namespace dvc {

const transport_profile& contract_transport(side s);

}  // namespace dvc
